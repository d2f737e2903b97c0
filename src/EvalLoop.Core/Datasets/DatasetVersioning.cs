using System.Security.Cryptography;
using System.Text;

namespace EvalLoop.Core.Datasets;

/// <summary>Computes the content-hash version of a dataset.</summary>
public static class DatasetVersioning
{
    /// <summary>A hex SHA-256 over every case's id, input, expected, metadata and split, in order.</summary>
    public static string ComputeVersion(IEnumerable<DatasetCase> cases)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var c in cases)
        {
            Append(hash, c.Id);
            Append(hash, c.Input.GetRawText());
            Append(hash, c.Expected?.GetRawText());
            Append(hash, c.Metadata?.GetRawText());
            Append(hash, c.Split);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static void Append(IncrementalHash hash, string? value)
    {
        hash.AppendData(Encoding.UTF8.GetBytes(value ?? "\u0001null"));
        hash.AppendData("\u0000"u8);
    }
}
