using System.Globalization;
using System.Runtime.CompilerServices;

namespace EvalLoop.Reporting.Html;

/// <summary>Literal parts are written as markup, holes as escaped text (see <see cref="HtmlWriter"/>).</summary>
[InterpolatedStringHandler]
internal readonly ref struct HtmlInterpolatedStringHandler
{
    private readonly TextWriter _writer;

    public HtmlInterpolatedStringHandler(int literalLength, int formattedCount, HtmlWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        _writer = writer.Inner;
    }

    public void AppendLiteral(string markup) => _writer.Write(markup);

    public void AppendFormatted(string? text) => HtmlText.Write(_writer, text);

    public void AppendFormatted(HtmlFragment fragment) => _writer.Write(fragment.Markup);

    public void AppendFormatted<T>(T value) => AppendFormatted(value, null);

    public void AppendFormatted<T>(T value, string? format)
    {
        var text = value switch
        {
            null => string.Empty,
            IFormattable formattable => formattable.ToString(format, CultureInfo.InvariantCulture),
            _ => value.ToString(),
        };
        HtmlText.Write(_writer, text);
    }
}
