using System.Text.Json;
using EvalLoop.Core.Datasets;
using EvalLoop.Core.Scoring;
using EvalLoop.Scoring.Deterministic.JavaScript;

namespace EvalLoop.Scoring.Tests.Deterministic.JavaScript;

/// <summary>
/// Our <c>levenshtein</c>, <c>exact-match</c>, <c>numeric-diff</c> and <c>json-diff</c> against Braintrust autoevals.
/// The table holds the test cases of autoevals' own suites (js/value.test.ts, js/json.test.ts, py/autoevals/test_*.py)
/// plus the edge cases studied for this port (number printing, non-string expected values, nulls, key order, duplicate
/// keys, strings holding JSON, mixed types, surrogate pairs), each with the score the autoevals npm package (0.3.0, its
/// TypeScript implementation) returned for it, printed with 17 significant digits.
/// </summary>
/// <remarks>
/// Outputs are given as JSON: a JSON string is a model's text answer; any other JSON value is an output as
/// <c>evalloop score</c> reads it from a file. NumericDiff outputs are model text ("10"), since a model answers in text.
/// </remarks>
public sealed class AutoevalsParityTests
{
    public static TheoryData<string, string, string?, string?, double> Cases => new()
    {
        { "levenshtein", "\"\"", "\"\"", null, 1.0000000000000000 },
        { "levenshtein", "\"\"", "\"a\"", null, 0.0000000000000000 },
        { "levenshtein", "\"a\"", "\"\"", null, 0.0000000000000000 },
        { "levenshtein", "\"a\"", "\"a\"", null, 1.0000000000000000 },
        { "levenshtein", "\"a\"", "\"b\"", null, 0.0000000000000000 },
        { "levenshtein", "\"ab\"", "\"ac\"", null, 0.50000000000000000 },
        { "levenshtein", "\"ac\"", "\"bc\"", null, 0.50000000000000000 },
        { "levenshtein", "\"abc\"", "\"axc\"", null, 0.66666666666666674 },
        { "levenshtein", "\"xabxcdxxefxgx\"", "\"1ab2cd34ef5g6\"", null, 0.53846153846153844 },
        { "levenshtein", "\"kitten\"", "\"sitting\"", null, 0.57142857142857140 },
        { "levenshtein", "\"1\"", "1", null, 1.0000000000000000 },
        { "levenshtein", "\"1.0\"", "1", null, 0.33333333333333337 },
        { "levenshtein", "\"1e+21\"", "1e+21", null, 1.0000000000000000 },
        { "levenshtein", "\"100000000000000000000\"", "100000000000000000000", null, 1.0000000000000000 },
        { "levenshtein", "\"0.000001\"", "0.000001", null, 1.0000000000000000 },
        { "levenshtein", "\"1e-7\"", "1e-7", null, 1.0000000000000000 },
        { "levenshtein", "\"0.30000000000000004\"", "0.30000000000000004", null, 1.0000000000000000 },
        { "levenshtein", "\"-5\"", "-5", null, 1.0000000000000000 },
        { "levenshtein", "\"True\"", "true", null, 0.75000000000000000 },
        { "levenshtein", "\"None\"", "null", null, 0.0000000000000000 },
        { "levenshtein", "\"1,2,3,\"", "[1,[2,3],null]", null, 1.0000000000000000 },
        { "levenshtein", "\"{\\\"a\\\": 1}\"", "{\"a\":1}", null, 0.066666666666666652 },
        { "levenshtein", "\"h\u00e9llo w\u00f6rld\"", "\"hello world\"", null, 0.81818181818181812 },
        { "levenshtein", "\"\ud83d\ude00 ok\"", "\"\ud83d\ude01 ok\"", null, 0.80000000000000004 },
        { "levenshtein", "{\"a\":1}", "\"[object Object]\"", null, 1.0000000000000000 },
        { "levenshtein", "[1,2]", "\"[1,2]\"", null, 0.59999999999999998 },
        { "exact-match", "\"hello\"", "\"hello\"", null, 1.0000000000000000 },
        { "exact-match", "\"hello\"", "\"world\"", null, 0.0000000000000000 },
        { "exact-match", "123", "123", null, 1.0000000000000000 },
        { "exact-match", "123", "\"123\"", null, 1.0000000000000000 },
        { "exact-match", "\"123\"", "123", null, 1.0000000000000000 },
        { "exact-match", "\"123.0\"", "123", null, 0.0000000000000000 },
        { "exact-match", "\"1\"", "1", null, 1.0000000000000000 },
        { "exact-match", "\"true\"", "true", null, 1.0000000000000000 },
        { "exact-match", "\"True\"", "true", null, 0.0000000000000000 },
        { "exact-match", "{\"a\":1,\"b\":2}", "{\"a\":1,\"b\":2}", null, 1.0000000000000000 },
        { "exact-match", "{\"a\":1,\"b\":2}", "{\"a\":1,\"b\":3}", null, 0.0000000000000000 },
        { "exact-match", "[1,2,3]", "[1,2,3]", null, 1.0000000000000000 },
        { "exact-match", "[1,2,3]", "[3,2,1]", null, 0.0000000000000000 },
        { "exact-match", "{\"a\":1,\"b\":2}", "{\"b\":2,\"a\":1}", null, 0.0000000000000000 },
        { "exact-match", "{\"a\":1,\"b\":2}", "\"{\\\"a\\\": 1, \\\"b\\\": 2}\"", null, 1.0000000000000000 },
        { "exact-match", "{\"a\":1,\"b\":2}", "\"{\\\"a\\\":1, \\\"b\\\":2}\"", null, 1.0000000000000000 },
        { "exact-match", "{\"a\":1,\"b\":2}", "\"{\\\"b\\\":2, \\\"a\\\":1}\"", null, 0.0000000000000000 },
        { "exact-match", "{\"a\":1,\"b\":2}", "{\"b\":2,\"a\":1,\"c\":3}", null, 0.0000000000000000 },
        { "exact-match", "null", "null", null, 1.0000000000000000 },
        { "exact-match", "\"{\\\"a\\\": 1, \\\"b\\\": 2}\"", "{\"a\":1,\"b\":2}", null, 1.0000000000000000 },
        { "exact-match", "\" [1, 2.0, 3] \"", "[1,2,3]", null, 1.0000000000000000 },
        { "exact-match", "\"{\\\"b\\\":2,\\\"a\\\":1}\"", "{\"a\":1,\"b\":2}", null, 0.0000000000000000 },
        { "exact-match", "\"{\\\"b\\\":1,\\\"1\\\":2}\"", "{\"1\":2,\"b\":1}", null, 1.0000000000000000 },
        { "exact-match", "\"{\\\"a\\\":1,\\\"a\\\":2}\"", "{\"a\":2}", null, 1.0000000000000000 },
        { "exact-match", "\"null\"", "null", null, 1.0000000000000000 },
        { "exact-match", "\"hello\"", "null", null, 0.0000000000000000 },
        { "exact-match", "\"\\\"hello\\\"\"", "[\"hello\"]", null, 0.0000000000000000 },
        { "exact-match", "\"[\\\"h\\\\u00e9\\\"]\"", "[\"h\u00e9\"]", null, 1.0000000000000000 },
        { "numeric-diff", "\"0\"", "0", null, 1.0000000000000000 },
        { "numeric-diff", "\"0\"", "1", null, 0.0000000000000000 },
        { "numeric-diff", "\"1\"", "2", null, 0.66666666666666674 },
        { "numeric-diff", "\"1\"", "2", null, 0.66666666666666674 },
        { "numeric-diff", "\"-1\"", "2", null, 0.0000000000000000 },
        { "numeric-diff", "\"10\"", "5", null, 0.66666666666666674 },
        { "numeric-diff", "\"105\"", "100", null, 0.97560975609756095 },
        { "numeric-diff", "\"-3\"", "-4", null, 0.85714285714285721 },
        { "numeric-diff", "\"0.1\"", "0.30000000000000004", null, 0.49999999999999989 },
        { "numeric-diff", "\"1e-320\"", "5e-321", null, 0.66666666666666674 },
        { "numeric-diff", "\"0\"", "1e-300", null, 0.0000000000000000 },
        { "numeric-diff", "\"123456789\"", "123456788", null, 0.99999999595000000 },
        { "json-diff", "\"\"", "\"\"", null, 1.0000000000000000 },
        { "json-diff", "\"\"", "\"a\"", null, 0.0000000000000000 },
        { "json-diff", "\"abc\"", "\"axc\"", null, 0.66666666666666674 },
        { "json-diff", "\"xabxcdxxefxgx\"", "\"1ab2cd34ef5g6\"", null, 0.53846153846153844 },
        { "json-diff", "null", "null", null, 1.0000000000000000 },
        { "json-diff", "\"\"", "null", null, 0.0000000000000000 },
        { "json-diff", "[]", "{}", null, 0.0000000000000000 },
        { "json-diff", "[]", "[]", null, 1.0000000000000000 },
        { "json-diff", "{}", "{}", null, 1.0000000000000000 },
        { "json-diff", "{\"a\":1}", "{\"a\":1}", null, 1.0000000000000000 },
        { "json-diff", "{\"a\":1}", "{\"a\":2}", null, 0.66666666666666674 },
        { "json-diff", "{\"a\":1}", "[\"a\",1]", null, 0.57142857142857140 },
        { "json-diff", "{\"a\":1}", "{\"b\":{\"a\":1}}", null, 0.0000000000000000 },
        { "json-diff", "{\"a\":1}", "{\"a\":null}", null, 0.0000000000000000 },
        { "json-diff", "{\"mapping\":{\"a\":\"foo\",\"b\":\"bar\"}}", "{\"mapping\":{\"a\":\"Foo\",\"b\":\"Bar\"},\"Extra\":5}", null, 0.33333333333333337 },
        { "json-diff", "\"{\\\"a\\\": 1}\"", "{\"a\":1}", null, 1.0000000000000000 },
        { "json-diff", "\"{\\\"a\\\": 1}\"", "{\"a\":1}", "{\"preserve_strings\": true}", 0.58333333333333326 },
        { "json-diff", "\"42\"", "42", null, 0.50000000000000000 },
        { "json-diff", "true", "\"true\"", null, 0.66666666666666674 },
        { "json-diff", "true", "false", null, 0.19999999999999996 },
        { "json-diff", "[1,2,3]", "[1,2]", null, 0.66666666666666663 },
        { "json-diff", "[1,2]", "[1,2,3,4]", null, 0.50000000000000000 },
        { "json-diff", "{\"a\":[1,{\"b\":\"x\"}]}", "{\"a\":[1,{\"b\":\"y\"}],\"c\":null}", null, 0.75000000000000000 },
        { "json-diff", "{\"a\":\"[1,2]\"}", "{\"a\":[1,2]}", null, 1.0000000000000000 },
        { "json-diff", "{\"a\":\"[1,2]\"}", "{\"a\":[1,2]}", "{\"preserve_strings\": true}", 0.71428571428571430 },
        { "json-diff", "{\"n\":1,\"s\":\"x\"}", "{\"n\":\"1\",\"s\":\"x\"}", null, 0.66666666666666674 },
        { "json-diff", "{\"z\":{\"b\":1,\"a\":[true]}}", "{\"z\":[{\"a\":[true],\"b\":1}]}", null, 0.90000000000000002 },
        { "json-diff", "{\"9\":\"b\",\"10\":\"a\",\"x\":3}", "{\"9\":\"b\",\"x\":3}", null, 0.66666666666666663 },
        { "json-diff", "{\"k\":{\"2\":4,\"10\":3,\"\u00e9\":1,\"e\":2}}", "{\"k\":\"str\"}", null, 0.076923076923076872 },
        { "json-diff", "\"[1, \\\"two\\\", {\\\"three\\\": 3}]\"", "[1,\"too\",{\"three\":4}]", null, 0.84126984126984128 },
        { "json-diff", "\"not json {\"", "{\"a\":1}", null, 0.0000000000000000 },
        { "json-diff", "\"-0.5\"", "0.5", null, 0.50000000000000000 },
        { "json-diff", "[null,1]", "[null,2]", null, 0.83333333333333337 },
        { "json-diff", "{\"a\":{}}", "{\"a\":[]}", null, 0.0000000000000000 },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task ScoresLikeAutoevals(string type, string outputJson, string? expectedJson, string? optionsJson, double autoevalsScore)
    {
        // Arrange
        var scorer = new BuiltInScorerFactory().Create(ScorerTestData.Definition(type, optionsJson));
        var input = Input(outputJson, expectedJson);

        // Act
        var result = await scorer.ScoreAsync(input);

        // Assert
        result.Error.Should().BeNull();
        result.Score.Should().BeApproximately(autoevalsScore, 1e-12);
    }

    [Theory]
    [InlineData(double.MaxValue, double.MaxValue, 1.0)]
    [InlineData(double.MaxValue, double.MaxValue / 2, 2.0 / 3)]
    [InlineData(double.MaxValue, -double.MaxValue, 0.0)]
    [InlineData(-double.MaxValue, -double.MaxValue / 2, 2.0 / 3)]
    [InlineData(1e-320, 1e-320 / 2, 2.0 / 3)]
    [InlineData(0.0, 0.0, 1.0)]
    [InlineData(0.0, double.MaxValue, 0.0)]
    [InlineData(10.0, 5.0, 2.0 / 3)]
    public void NumericDiffStaysFiniteAtTheExtremesAsAutoevalsMainDoes(double output, double expected, double score)
    {
        // These are autoevals' "finite extremes" cases (js/number.test.ts, py/autoevals/test_number.py on main): the
        // current NumericDiff scales both numbers by the larger magnitude first. The npm release 0.3.0 predates that
        // fix and overflows (1 for MaxValue vs MaxValue/2, NaN for MaxValue vs -MaxValue).

        // Act
        var result = AutoevalsScores.NumericDiff(output, expected);

        // Assert
        double.IsFinite(result).Should().BeTrue();
        result.Should().BeApproximately(score, 1e-12);
    }

    [Theory]
    [InlineData("levenshtein")]
    [InlineData("exact-match")]
    [InlineData("numeric-diff")]
    [InlineData("json-diff")]
    public async Task ACaseWithoutAnExpectedKeyIsAnErrorWhereAutoevalsThrowsOrComparesWithNull(string type)
    {
        // Arrange: autoevals' Levenshtein and NumericDiff throw for a missing expected value; ExactMatch and JSONDiff
        // compare with null. A JSONL case without "expected" is nearly always a dataset mistake, so all four report it.
        var scorer = new BuiltInScorerFactory().Create(ScorerTestData.Definition(type));

        // Act
        var result = await scorer.ScoreAsync(Input("\"42\"", expectedJson: null));

        // Assert
        result.Score.Should().BeNull();
        result.Error.Should().Contain("no expected value");
    }

    [Theory]
    [InlineData("\"abc\"", "null", "levenshtein", 0.0)]
    [InlineData("\"null\"", "null", "levenshtein", 1.0)]
    [InlineData("\"null\"", "null", "exact-match", 1.0)]
    [InlineData("\" null \"", "null", "exact-match", 1.0)]
    [InlineData("\"nil\"", "null", "json-diff", 0.0)]
    public async Task AnExplicitNullExpectedValueIsComparedAsAutoevalsTypeScriptDoes(string outputJson, string expectedJson, string type, double score)
    {
        // Arrange
        var scorer = new BuiltInScorerFactory().Create(ScorerTestData.Definition(type));

        // Act
        var result = await scorer.ScoreAsync(Input(outputJson, expectedJson));

        // Assert
        result.Error.Should().BeNull();
        result.Score.Should().Be(score);
    }

    [Theory]
    [InlineData("\"ten\"", "10", "the output")]
    [InlineData("\"\"", "10", "the output")]
    [InlineData("\"10\"", "\"ten\"", "the expected value")]
    [InlineData("\"10\"", "[10]", "the expected value")]
    [InlineData("\"1e999\"", "10", "the output")]
    public async Task NumericDiffReportsANonNumberAsAnErrorWhereAutoevalsWouldScoreNaNOrZero(string outputJson, string expectedJson, string culprit)
    {
        // Arrange: autoevals coerces with JavaScript's Number(): "" becomes 0, "ten" gives a NaN score.
        var scorer = new BuiltInScorerFactory().Create(ScorerTestData.Definition("numeric-diff"));

        // Act
        var result = await scorer.ScoreAsync(Input(outputJson, expectedJson));

        // Assert
        result.Score.Should().BeNull();
        result.Error.Should().StartWith(culprit).And.Contain("not a number");
    }

    [Fact]
    public async Task NumericDiffReadsTheOutputTextWithSurroundingWhitespaceAndExponents()
    {
        // Arrange
        var scorer = new BuiltInScorerFactory().Create(ScorerTestData.Definition("numeric-diff"));

        // Act
        var result = await scorer.ScoreAsync(Input("\" 1.05e2\\n\"", "100"));

        // Assert
        result.Score.Should().BeApproximately(1 - (5.0 / 205), 1e-12);
        result.Passed.Should().BeTrue();
        result.Rationale.Should().Be("output 105 vs expected 100");
    }

    /// <summary>A JSON string output is model text; any other JSON output is an output value, as <c>evalloop score</c> reads it.</summary>
    internal static ScoringInput Input(string outputJson, string? expectedJson)
    {
        var output = JsonText.Parse(outputJson);
        var @case = new DatasetCase("case-1", JsonText.Parse("\"question\""), JsonText.ParseOrNull(expectedJson), null, null);
        return output.ValueKind == JsonValueKind.String
            ? new ScoringInput(@case, output.GetString()!)
            : new ScoringInput(@case, JsonText.ToText(output), output);
    }
}
