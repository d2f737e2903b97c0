using EvalLoop.Analysis.Describing;

namespace EvalLoop.Analysis.Tests.Describing;

public sealed class ClassTfIdfTests
{
    [Fact]
    public void RanksTermsFrequentInOneClassAndRareInTheOthersFirst()
    {
        IReadOnlyList<IReadOnlyList<string>> classes =
        [
            ["my card has not arrived", "card still not arrived after a week", "when will the card arrive"],
            ["refund my money please", "I want a refund for my card payment", "refund the order"],
        ];

        var terms = ClassTfIdf.TopTerms(classes, 2);

        terms[0].Should().BeEquivalentTo(["arrived", "card"]);
        terms[1].Should().StartWith("refund");
    }

    [Fact]
    public void IgnoresStopWordsNumbersAndTermsOfASingleText()
    {
        IReadOnlyList<IReadOnlyList<string>> classes = [["the transfer 1234 is late", "the transfer is late", "a unique zebra word"]];

        var terms = ClassTfIdf.TopTerms(classes, 10);

        terms[0].Should().BeEquivalentTo(["transfer", "late"]);
    }

    [Fact]
    public void TokenizesAnyScript()
    {
        ClassTfIdf.Tokenize("Моя карта не пришла — 卡 Köln’s café 😤").Should().Equal("моя", "карта", "пришла", "卡", "kölns", "café");
    }
}
