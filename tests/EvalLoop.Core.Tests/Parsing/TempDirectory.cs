using System.Text;

namespace EvalLoop.Core.Tests.Parsing;

/// <summary>A fresh directory under the system temp folder, deleted with everything in it on dispose.</summary>
internal sealed class TempDirectory : IDisposable
{
    private static readonly UTF8Encoding Utf8NoBom = new(encoderShouldEmitUTF8Identifier: false);

    public TempDirectory() => Root = Directory.CreateTempSubdirectory("evalloop-parsing-").FullName;

    public string Root { get; }

    public string PathOf(string relativePath) => Path.Combine(Root, relativePath);

    /// <summary>Writes <paramref name="content"/> (UTF-8, no BOM, exactly as given) and returns the full path.</summary>
    public string Write(string relativePath, string content)
    {
        var path = PathOf(relativePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content, Utf8NoBom);
        return path;
    }

    /// <summary>Writes one line per element, joined with '\n' and ending with one.</summary>
    public string WriteLines(string relativePath, params string[] lines) => Write(relativePath, string.Join('\n', lines) + "\n");

    public void Dispose()
    {
        if (Directory.Exists(Root))
        {
            Directory.Delete(Root, recursive: true);
        }
    }
}
