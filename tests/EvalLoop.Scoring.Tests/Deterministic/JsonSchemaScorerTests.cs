using EvalLoop.Core.Workspace;
using EvalLoop.Scoring.Deterministic;
using static EvalLoop.Scoring.Tests.ScorerTestData;

namespace EvalLoop.Scoring.Tests.Deterministic;

public sealed class JsonSchemaScorerTests
{
    private const string Schema = """
        {"schema": {"type": "object", "properties": {"name": {"type": "string"}, "age": {"type": "integer", "minimum": 0}},
                    "required": ["name", "age"], "additionalProperties": false}}
        """;

    [Theory]
    [InlineData("{\"name\": \"Ada\", \"age\": 36}", 1, "valid")]
    [InlineData("{\"name\": \"Ada\"}", 0, "age")]
    [InlineData("{\"name\": \"Ada\", \"age\": -1}", 0, "/age")]
    [InlineData("{\"name\": \"Ada\", \"age\": \"36\"}", 0, "/age")]
    [InlineData("{\"name\": \"Ada\", \"age\": 36, \"x\": 1}", 0, "schema violation")]
    [InlineData("[]", 0, "schema violation")]
    [InlineData("not json", 0, "not valid JSON")]
    public async Task ValidatesTheOutputAgainstAnInlineSchema(string output, double score, string rationale)
    {
        var scorer = new JsonSchemaScorer(Definition("json-schema", Schema));

        var result = await scorer.ScoreAsync(Input(output, null));

        result.Error.Should().BeNull();
        result.Score.Should().Be(score);
        result.Rationale.Should().Contain(rationale);
    }

    [Fact]
    public async Task ReadsTheSchemaFromAFileRelativeToTheWorkspace()
    {
        // Arrange
        var root = Directory.CreateTempSubdirectory("evalloop-schema-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(root, "schemas"));
            await File.WriteAllTextAsync(Path.Combine(root, "schemas", "answer.json"), """{"type": "array", "items": {"type": "number"}, "minItems": 2}""");
            var scorer = new JsonSchemaScorer(Definition("json-schema", """{"schema_file": "schemas/answer.json"}"""), root);

            // Act
            var good = await scorer.ScoreAsync(Input("[1, 2.5]", null));
            var bad = await scorer.ScoreAsync(Input("[1]", null));

            // Assert
            good.Score.Should().Be(1);
            bad.Score.Should().Be(0);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void BuildingTheSameSchemaWithAnIdTwiceDoesNotClash()
    {
        // The loader builds every scorer once to check it, and the run builds it again.
        var options = """{"schema": {"$id": "https://example.com/answer", "type": "string"}}""";

        var act = () => { _ = new JsonSchemaScorer(Definition("json-schema", options)); _ = new JsonSchemaScorer(Definition("json-schema", options)); };

        act.Should().NotThrow();
    }

    [Theory]
    [InlineData(null, "exactly one")]
    [InlineData("""{"schema": {"type": "object"}, "schema_file": "x.json"}""", "exactly one")]
    [InlineData("""{"schema": "object"}""", "must be a JSON Schema")]
    [InlineData("""{"schema": {"type": 12}}""", "not a valid JSON Schema")]
    [InlineData("""{"schema_file": "no/such/file.json"}""", "schema file not found")]
    public void RejectsAMissingOrInvalidSchemaWhenLoaded(string? options, string problem)
    {
        var act = () => new JsonSchemaScorer(Definition("json-schema", options));

        var ex = act.Should().ThrowExactly<WorkspaceFileException>().Which;
        ex.FilePath.Should().Be(SourcePath);
        ex.Line.Should().Be(Line);
        ex.Message.Should().Contain(problem);
    }
}
