using System.Threading.Channels;
using EvalLoop.Core.Datasets;
using EvalLoop.Core.Runs;

namespace EvalLoop.Reporting.Runs;

/// <summary>
/// Finds each result's dataset case by walking the run's dataset snapshot alongside the results: both come in dataset
/// order and a result's <see cref="CaseResult.Ordinal"/> is its case's position in the run's split, so one forward pass
/// joins them without loading the dataset. The cases are read ahead on another thread (a small bounded buffer), so
/// reading the dataset overlaps reading the results. A run whose dataset version is not stored gets no cases (the
/// report shows outputs and scores only).
/// </summary>
internal sealed class DatasetCursor : IAsyncDisposable
{
    private const int ReadAhead = 512;

    private readonly Channel<DatasetCase>? _cases;
    private readonly Task? _producer;
    private readonly CancellationTokenSource? _stop;
    private int _position = -1;
    private DatasetCase? _current;
    private bool _ended;

    private DatasetCursor(IDatasetStore? datasets, RunRecord? run, CancellationToken cancellationToken)
    {
        if (datasets is null || run is null)
        {
            return;
        }

        _cases = Channel.CreateBounded<DatasetCase>(new BoundedChannelOptions(ReadAhead) { SingleReader = true, SingleWriter = true });
        _stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var writer = _cases.Writer;
        var token = _stop.Token;
        _producer = Task.Run(
            async () =>
            {
                try
                {
                    await foreach (var @case in datasets.ReadCasesAsync(run.DatasetVersion, run.Split, token))
                    {
                        await writer.WriteAsync(@case, token);
                    }

                    writer.TryComplete();
                }
                catch (Exception ex)
                {
                    writer.TryComplete(ex);
                }
            },
            CancellationToken.None);
    }

    /// <summary>Whether the run's dataset version was found.</summary>
    public bool Found => _cases is not null;

    public static async Task<DatasetCursor> OpenAsync(IDatasetStore datasets, RunRecord run, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(datasets);
        ArgumentNullException.ThrowIfNull(run);
        var versions = await datasets.ListVersionsAsync(run.DatasetName, cancellationToken);
        return versions.Any(v => v.Version == run.DatasetVersion)
            ? new DatasetCursor(datasets, run, cancellationToken)
            : new DatasetCursor(null, null, cancellationToken);
    }

    /// <summary>The case at <paramref name="ordinal"/> if its id is <paramref name="caseId"/>; ordinals must not decrease between calls.</summary>
    public async ValueTask<DatasetCase?> CaseAtAsync(int ordinal, string caseId)
    {
        if (_cases is null)
        {
            return null;
        }

        while (_position < ordinal && !_ended)
        {
            if (await _cases.Reader.WaitToReadAsync() && _cases.Reader.TryRead(out var next))
            {
                _position++;
                _current = next;
            }
            else
            {
                _ended = true;
                _current = null;
            }
        }

        return _position == ordinal && _current is not null && _current.Id == caseId ? _current : null;
    }

    public async ValueTask DisposeAsync()
    {
        if (_stop is null || _producer is null)
        {
            return;
        }

        await _stop.CancelAsync();
        await _producer;
        _stop.Dispose();
    }
}
