namespace EvalLoop.EndToEnd.Tests;

/// <summary>CLI tests share the built CLI and run one at a time to keep timings stable on 2 cores.</summary>
[CollectionDefinition("cli")]
public sealed class CliTestGroup;
