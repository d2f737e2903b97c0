using System.Security.Cryptography;
using System.Text;

namespace EvalLoop.Core.Analysis;

/// <summary>The key an <see cref="IEmbeddingCache"/> stores a text's vector under.</summary>
public static class EmbeddingTextHash
{
    /// <summary>The lower-case hex SHA-256 of the text's UTF-8 bytes: 64 characters, the same on every machine.</summary>
    public static string Compute(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var bytes = Encoding.UTF8.GetBytes(text);
        return Convert.ToHexStringLower(SHA256.HashData(bytes));
    }
}
