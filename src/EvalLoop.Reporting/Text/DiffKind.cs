namespace EvalLoop.Reporting.Text;

/// <summary>Whether a line is in both texts, only the old one, or only the new one.</summary>
internal enum DiffKind
{
    Same,
    Removed,
    Added,
}
