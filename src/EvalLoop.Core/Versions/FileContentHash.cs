using System.Security.Cryptography;
using System.Text;

namespace EvalLoop.Core.Versions;

/// <summary>The hash a <see cref="FileVersion"/> and a suggestion's base-file check use.</summary>
public static class FileContentHash
{
    /// <summary>Lower-case hex SHA-256 of <paramref name="content"/> as UTF-8.</summary>
    public static string Compute(string content)
    {
        ArgumentNullException.ThrowIfNull(content);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content)));
    }
}
