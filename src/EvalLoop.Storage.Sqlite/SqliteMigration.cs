namespace EvalLoop.Storage.Sqlite;

/// <summary>One embedded <c>Migrations/NNNN_name.sql</c> script.</summary>
/// <param name="Version">The number the file name starts with; scripts apply in ascending order.</param>
/// <param name="Name">The rest of the file name, without the extension.</param>
/// <param name="Sql">The script, possibly several statements.</param>
internal sealed record SqliteMigration(int Version, string Name, string Sql);
