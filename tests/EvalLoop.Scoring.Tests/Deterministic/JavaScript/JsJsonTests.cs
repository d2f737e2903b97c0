using EvalLoop.Scoring.Deterministic.JavaScript;

namespace EvalLoop.Scoring.Tests.Deterministic.JavaScript;

public sealed class JsJsonTests
{
    [Theory]
    [InlineData(1.0, "1")]
    [InlineData(1e21, "1e+21")]
    [InlineData(1e20, "100000000000000000000")]
    [InlineData(1e-7, "1e-7")]
    [InlineData(-1e-7, "-1e-7")]
    [InlineData(1.23e-20, "1.23e-20")]
    [InlineData(-0.0, "0")]
    [InlineData(0.30000000000000004, "0.30000000000000004")]
    [InlineData(5e-324, "5e-324")]
    [InlineData(double.MaxValue, "1.7976931348623157e+308")]
    [InlineData(100.0, "100")]
    [InlineData(0.000001, "0.000001")]
    [InlineData(123456789012345680000.0, "123456789012345680000")]
    [InlineData(9007199254740992.0, "9007199254740992")]
    [InlineData(1.0 / 3, "0.3333333333333333")]
    [InlineData(12345.6789, "12345.6789")]
    [InlineData(1e100, "1e+100")]
    [InlineData(double.PositiveInfinity, "Infinity")]
    [InlineData(double.NaN, "NaN")]
    public void PrintsNumbersAsJavaScriptDoes(double value, string text)
    {
        // Expected texts are node 20's String(value).
        JsNumber.ToString(value).Should().Be(text);
    }

    [Theory]
    [InlineData("{\"b\":1,\"a\":2,\"10\":3,\"9\":4,\"01\":5}", "{\"9\":4,\"10\":3,\"b\":1,\"a\":2,\"01\":5}")]
    [InlineData("{\"a\":1,\"b\":2,\"a\":3}", "{\"a\":3,\"b\":2}")]
    [InlineData(" [ 1.0 , -0 , 1E3, \"\\u00e9\\n\\u0001\" ] ", "[1,0,1000,\"é\\n\\u0001\"]")]
    [InlineData("1e400", "null")]
    [InlineData("\"\\ud800\"", "\"\\ud800\"")]
    [InlineData("{\"4294967294\":1,\"4294967295\":2,\"z\":3}", "{\"4294967294\":1,\"4294967295\":2,\"z\":3}")]
    public void ParsesAndStringifiesAsJsonParseAndJsonStringify(string json, string stringified)
    {
        // Act
        var parsed = JsJson.TryParse(json, out var value);

        // Assert
        parsed.Should().BeTrue();
        JsJson.Stringify(value).Should().Be(stringified);
    }

    [Theory]
    [InlineData("")]
    [InlineData("[1,]")]
    [InlineData("{'a':1}")]
    [InlineData("{\"a\":1} // note")]
    [InlineData("NaN")]
    [InlineData("01")]
    [InlineData("\ufeff{}")]
    [InlineData("\"tab\tinside\"")]
    [InlineData("```json\n{}\n```")]
    public void RejectsWhatJsonParseRejects(string text)
    {
        JsJson.TryParse(text, out _).Should().BeFalse();
    }

    [Fact]
    public void SortsKeysAtEveryLevelWithArrayIndexKeysFirstWhenAskedTo()
    {
        // Arrange: autoevals' replacer re-inserts keys in sorted order, and JavaScript puts index keys first anyway.
        JsJson.TryParse("{\"b\":{\"z\":1,\"10\":2,\"9\":3,\"é\":4,\"e\":5},\"a\":[{\"y\":1,\"x\":2}]}", out var value).Should().BeTrue();

        // Act
        var text = JsJson.Stringify(value, sortKeys: true);

        // Assert
        text.Should().Be("{\"a\":[{\"x\":2,\"y\":1}],\"b\":{\"9\":3,\"10\":2,\"e\":5,\"z\":1,\"é\":4}}");
    }

    [Theory]
    [InlineData("\"text\"", "text")]
    [InlineData("1.0", "1")]
    [InlineData("true", "true")]
    [InlineData("null", "null")]
    [InlineData("[1,[2,[3]],null,\"x\",{}]", "1,2,3,,x,[object Object]")]
    [InlineData("{\"a\":1}", "[object Object]")]
    public void TurnsValuesIntoTextAsATemplateLiteralDoes(string json, string text)
    {
        JsJson.TryParse(json, out var value).Should().BeTrue();
        JsJson.ToText(value).Should().Be(text);
    }
}
