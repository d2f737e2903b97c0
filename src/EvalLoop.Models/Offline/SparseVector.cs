namespace EvalLoop.Models.Offline;

/// <summary>
/// A sparse feature vector: bucket indices in ascending order with their values. Immutable by convention; the arrays
/// are never modified after construction.
/// </summary>
internal readonly record struct SparseVector(int[] Indices, float[] Values)
{
    public static SparseVector Empty { get; } = new([], []);

    public int Count => Indices.Length;
}
