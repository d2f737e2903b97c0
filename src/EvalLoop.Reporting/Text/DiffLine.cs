namespace EvalLoop.Reporting.Text;

/// <summary>One line of a <see cref="LineDiff"/>.</summary>
internal sealed record DiffLine(DiffKind Kind, string Text);
