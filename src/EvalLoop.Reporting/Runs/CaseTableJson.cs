using System.Buffers;
using System.Text.Json;
using EvalLoop.Core.Runs;
using EvalLoop.Reporting.Html;

namespace EvalLoop.Reporting.Runs;

/// <summary>
/// Writes the case table's data, which the page's script renders a page at a time. A row is an array, to keep
/// 10,000-row reports small; the layout is mirrored in <c>Assets/run-report.js</c>:
/// <c>[ordinal, caseId, trial, status, input, expected, output, errorKind, errorMessage, latencyMs, cluster, scores, metadata]</c>
/// where status is <c>pass</c>, <c>fail</c> or <c>error</c>, cluster is the cluster's index or -1, and scores has one
/// entry per scorer of the table's header: <c>[score, passed (0/1), rationale, error]</c>, or null when that scorer has
/// no verdict on the row.
/// </summary>
internal sealed class CaseTableJson : IDisposable
{
    private readonly ArrayBufferWriter<byte> _buffer = new(64 * 1024);
    private readonly Utf8JsonWriter _writer;
    private readonly int _maxCell;
    private readonly IReadOnlyList<string> _scorers;

    public CaseTableJson(IReadOnlyList<string> scorers, int maxCellCharacters)
    {
        _scorers = scorers;
        _maxCell = maxCellCharacters;
        _writer = new Utf8JsonWriter(_buffer, ScriptJson.WriterOptions);
        _writer.WriteStartArray();
    }

    public int Rows { get; private set; }

    public static string Status(CaseResult result) => result.ErrorKind is not null ? "error" : result.Passed ? "pass" : "fail";

    public void Add(CaseRow row, int cluster)
    {
        ArgumentNullException.ThrowIfNull(row);
        var result = row.Result;
        var w = _writer;
        w.WriteStartArray();
        w.WriteNumberValue(result.Ordinal);
        WriteText(result.CaseId);
        w.WriteNumberValue(result.Trial);
        w.WriteStringValue(Status(result));
        WriteText(row.Input);
        WriteText(row.Expected);
        WriteText(result.Output);
        WriteText(result.ErrorKind);
        WriteText(result.ErrorMessage);
        w.WriteNumberValue(Math.Round(result.LatencyMs, 1));
        w.WriteNumberValue(cluster);
        w.WriteStartArray();
        foreach (var scorer in _scorers)
        {
            var score = FindScore(result.Scores, scorer);
            if (score is null)
            {
                w.WriteNullValue();
                continue;
            }

            w.WriteStartArray();
            if (score.Score is { } value && double.IsFinite(value))
            {
                w.WriteNumberValue(Math.Round(value, 4));
            }
            else
            {
                w.WriteNullValue();
            }

            w.WriteNumberValue(score.Passed ? 1 : 0);
            WriteText(score.Rationale);
            WriteText(score.Error);
            w.WriteEndArray();
        }

        w.WriteEndArray();
        WriteText(row.Metadata);
        w.WriteEndArray();
        Rows++;
    }

    /// <summary>Closes the array and returns the JSON; the instance is done after this.</summary>
    public ReadOnlyMemory<byte> Complete()
    {
        _writer.WriteEndArray();
        _writer.Flush();
        return _buffer.WrittenMemory;
    }

    public void Dispose() => _writer.Dispose();

    internal static ScoreRecord? FindScore(IReadOnlyList<ScoreRecord> scores, string scorer)
    {
        foreach (var score in scores)
        {
            if (score.Scorer == scorer)
            {
                return score;
            }
        }

        return null;
    }

    private void WriteText(string? text)
    {
        if (text is null)
        {
            _writer.WriteNullValue();
            return;
        }

        _writer.WriteStringValue(CellText.Truncate(text, _maxCell));
    }
}
