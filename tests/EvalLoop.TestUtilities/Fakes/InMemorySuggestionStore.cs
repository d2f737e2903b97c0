using System.Runtime.CompilerServices;
using EvalLoop.Core.Suggestions;

namespace EvalLoop.TestUtilities.Fakes;

/// <summary>
/// An in-memory <see cref="ISuggestionStore"/> and <see cref="ISuggestionHistory"/> with the same semantics as the
/// SQLite one (the storage contract tests run against both): revision checks, status rules, newest-first listing with
/// ties in reverse order of first save, and one history event per save, all under one lock.
/// </summary>
/// <remarks>
/// It knows no runs: it accepts any run id unless <see cref="RunExists"/> is set, in which case it rejects a suggestion
/// whose run the callback does not know, with the same exception as the SQLite store.
/// </remarks>
public sealed class InMemorySuggestionStore(TimeProvider? timeProvider = null) : ISuggestionStore, ISuggestionHistory
{
    private readonly Lock _lock = new();
    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;
    private readonly Dictionary<string, (Suggestion Suggestion, long Sequence)> _suggestions = new(StringComparer.Ordinal);
    private readonly List<SuggestionEvent> _events = [];
    private long _sequence;

    /// <summary>When set, whether a run id refers to a stored run; a save for an unknown run is refused.</summary>
    public Func<string, bool>? RunExists { get; init; }

    /// <summary>Called with each valid save before it is stored; throw from it to simulate a storage failure.</summary>
    public Action<Suggestion>? OnSave { get; set; }

    public Task<Suggestion> SaveAsync(Suggestion suggestion, CancellationToken cancellationToken = default)
    {
        SuggestionRules.ThrowIfInvalid(suggestion);
        cancellationToken.ThrowIfCancellationRequested();

        // Copy the cluster ids so a caller mutating its list later cannot change what is stored.
        var stored = suggestion with { Revision = suggestion.Revision + 1, ClusterIds = suggestion.ClusterIds.ToArray() };
        lock (_lock)
        {
            var exists = _suggestions.TryGetValue(suggestion.Id, out var current);
            var currentRevision = exists ? current.Suggestion.Revision : 0;
            if (currentRevision != suggestion.Revision)
            {
                throw new SuggestionConcurrencyException(suggestion.Id, suggestion.Revision, currentRevision);
            }

            var fromStatus = exists ? current.Suggestion.Status : null;
            SuggestionRules.ThrowIfTransitionNotAllowed(suggestion.Id, fromStatus, suggestion.Status);
            if (RunExists is { } runExists && !runExists(suggestion.RunId))
            {
                throw SuggestionRules.UnknownRun(suggestion);
            }

            OnSave?.Invoke(stored);
            _suggestions[stored.Id] = (stored, exists ? current.Sequence : ++_sequence);
            _events.Add(new SuggestionEvent
            {
                SuggestionId = stored.Id,
                Revision = stored.Revision,
                FromStatus = fromStatus,
                ToStatus = stored.Status,
                RecordedAt = _time.GetUtcNow(),
                Snapshot = stored,
            });
        }

        return Task.FromResult(stored);
    }

    public Task<Suggestion?> GetAsync(string id, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(id);
        lock (_lock)
        {
            return Task.FromResult(_suggestions.TryGetValue(id, out var entry) ? entry.Suggestion : null);
        }
    }

    public Task<IReadOnlyList<Suggestion>> ListAsync(SuggestionQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegative(query.Limit, nameof(query));
        lock (_lock)
        {
            return Task.FromResult<IReadOnlyList<Suggestion>>(_suggestions.Values
                .Where(e => query.Status is null || e.Suggestion.Status == query.Status)
                .Where(e => query.RunId is null || e.Suggestion.RunId == query.RunId)
                .Where(e => query.ExperimentName is null || e.Suggestion.ExperimentName == query.ExperimentName)
                .Where(e => query.Kind is null || e.Suggestion.Kind == query.Kind)
                .OrderByDescending(e => e.Suggestion.CreatedAt)
                .ThenByDescending(e => e.Sequence)
                .Take(query.Limit)
                .Select(e => e.Suggestion)
                .ToList());
        }
    }

    public async IAsyncEnumerable<SuggestionEvent> ReadHistoryAsync(string suggestionId, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(suggestionId);
        List<SuggestionEvent> events;
        lock (_lock)
        {
            events = _events.Where(e => e.SuggestionId == suggestionId).OrderBy(e => e.Revision).ToList();
        }

        foreach (var e in events)
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return e;
        }

        await Task.CompletedTask;
    }
}
