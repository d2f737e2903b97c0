using EvalLoop.Core.Models;
using EvalLoop.Models.Pricing;

namespace EvalLoop.Models.Tests.Pricing;

public sealed class PriceTableTests
{
    [Theory]
    [InlineData("gpt-4o", 2.50, 10.00)]
    [InlineData("gpt-4o-mini", 0.15, 0.60)]
    [InlineData("gpt-4.1", 2.00, 8.00)]
    [InlineData("gpt-4.1-mini", 0.40, 1.60)]
    [InlineData("gpt-4.1-nano", 0.10, 0.40)]
    [InlineData("o3-mini", 1.10, 4.40)]
    public void KnowsTheCommonOpenAiModels(string model, double input, double output)
    {
        PriceTable.TryFind(model, out var price).Should().BeTrue();
        price.Should().Be(new ModelPrice((decimal)input, (decimal)output));
    }

    [Theory]
    [InlineData("gpt-4o-2024-08-06", "gpt-4o")]
    [InlineData("gpt-4o-mini-2024-07-18", "gpt-4o-mini")]
    [InlineData("o3-mini-2025-01-31", "o3-mini")]
    [InlineData("openai/gpt-4.1-nano", "gpt-4.1-nano")]
    [InlineData("GPT-4O", "gpt-4o")]
    public void FindsDatedSnapshotsUnderTheirFamilyButNeverTheShorterFamily(string model, string family)
    {
        PriceTable.TryFind(family, out var expected).Should().BeTrue();

        PriceTable.TryFind(model, out var price).Should().BeTrue();

        price.Should().Be(expected);
    }

    [Theory]
    [InlineData("llama3.2:3b")]
    [InlineData("offline")]
    [InlineData("gpt-4oo")]
    [InlineData("")]
    public void TreatsUnknownModelsAsFree(string model)
    {
        PriceTable.TryFind(model, out var price).Should().BeFalse();
        price.Should().Be(PriceTable.Free);
    }

    [Fact]
    public void ComputesCostPerMillionTokens() =>
        PriceTable.Cost(new ModelPrice(0.15m, 0.60m), 1000, 500).Should().Be(0.00045m);
}
