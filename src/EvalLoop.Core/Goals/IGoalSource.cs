namespace EvalLoop.Core.Goals;

/// <summary>Finds goal definitions by name (for reports, which show the goal an experiment names).</summary>
public interface IGoalSource
{
    /// <summary>The goal <paramref name="name"/>, or null when there is no such goal.</summary>
    /// <exception cref="Workspace.WorkspaceFileException">The goal's file exists but is invalid.</exception>
    Task<GoalDefinition?> FindAsync(string name, CancellationToken cancellationToken = default);
}
