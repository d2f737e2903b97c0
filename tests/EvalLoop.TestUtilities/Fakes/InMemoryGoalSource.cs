using EvalLoop.Core.Goals;

namespace EvalLoop.TestUtilities.Fakes;

/// <summary>Goals held in memory by name; <see cref="OnFind"/> lets a test fail a lookup (an invalid goal file).</summary>
public sealed class InMemoryGoalSource : IGoalSource
{
    private readonly Dictionary<string, GoalDefinition> _goals = new(StringComparer.Ordinal);

    /// <summary>Called before each lookup with the name; throw from it to simulate an unreadable goal file.</summary>
    public Action<string>? OnFind { get; set; }

    public InMemoryGoalSource Add(GoalDefinition goal)
    {
        ArgumentNullException.ThrowIfNull(goal);
        _goals[goal.Name] = goal;
        return this;
    }

    public Task<GoalDefinition?> FindAsync(string name, CancellationToken cancellationToken = default)
    {
        OnFind?.Invoke(name);
        return Task.FromResult(_goals.GetValueOrDefault(name));
    }
}
