namespace EvalLoop.Core.Workspace;

/// <summary>
/// Where a workspace keeps things: <c>datasets/</c>, <c>scorers/</c>, <c>experiments/</c> (files the user owns) and
/// <c>.evalloop/</c> (state: the SQLite database and reports).
/// </summary>
public sealed record WorkspaceLayout(string Root, string DatabasePath)
{
    public const string DatabaseEnvironmentVariable = "EVALLOOP_DB";

    public string DatasetsDirectory => System.IO.Path.Combine(Root, "datasets");

    public string ScorersDirectory => System.IO.Path.Combine(Root, "scorers");

    public string ExperimentsDirectory => System.IO.Path.Combine(Root, "experiments");

    public string StateDirectory => System.IO.Path.Combine(Root, ".evalloop");

    public string ReportsDirectory => System.IO.Path.Combine(StateDirectory, "reports");

    /// <summary>The run locks (<c>RUN_ID.lock</c>), next to the database so every process using it sees them.</summary>
    public string LocksDirectory => System.IO.Path.Combine(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(DatabasePath))!, "locks");

    /// <summary>The layout for <paramref name="root"/>; the database path is <paramref name="databasePath"/>, else <c>EVALLOOP_DB</c>, else <c>.evalloop/evalloop.db</c>.</summary>
    public static WorkspaceLayout For(string root, string? databasePath = null)
    {
        var fullRoot = System.IO.Path.GetFullPath(root);
        var db = databasePath ?? Environment.GetEnvironmentVariable(DatabaseEnvironmentVariable);
        db = string.IsNullOrWhiteSpace(db)
            ? System.IO.Path.Combine(fullRoot, ".evalloop", "evalloop.db")
            : System.IO.Path.GetFullPath(db, fullRoot);
        return new WorkspaceLayout(fullRoot, db);
    }

    /// <summary>Resolves a dataset reference: a path to a .jsonl file (relative to the workspace), else <c>datasets/NAME.jsonl</c>.</summary>
    public string ResolveDatasetPath(string dataset, string? relativeTo = null)
    {
        if (dataset.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase) || dataset.Contains('/', StringComparison.Ordinal))
        {
            return System.IO.Path.GetFullPath(dataset, relativeTo ?? Root);
        }

        return System.IO.Path.Combine(DatasetsDirectory, dataset + ".jsonl");
    }

    /// <summary>The dataset's name: the file name without <c>.jsonl</c>.</summary>
    public static string DatasetName(string dataset) =>
        dataset.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase) || dataset.Contains('/', StringComparison.Ordinal)
            ? System.IO.Path.GetFileNameWithoutExtension(dataset)
            : dataset;
}
