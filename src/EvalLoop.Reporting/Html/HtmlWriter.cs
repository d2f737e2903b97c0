using System.Globalization;
using System.Runtime.CompilerServices;

namespace EvalLoop.Reporting.Html;

/// <summary>
/// Writes HTML where escaping is the default: in <c>writer.Write($"&lt;td&gt;{value}&lt;/td&gt;")</c> the literal parts
/// are markup and every hole is escaped text (numbers are formatted with the invariant culture), unless the hole is an
/// <see cref="HtmlFragment"/>. So untrusted text cannot reach the page unescaped by forgetting a call.
/// </summary>
internal sealed class HtmlWriter(TextWriter inner)
{
    public TextWriter Inner { get; } = inner;

    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822", Justification = "The handler needs the instance: it is passed by InterpolatedStringHandlerArgument.")]
    public void Write([InterpolatedStringHandlerArgument("")] ref HtmlInterpolatedStringHandler html)
    {
        // The handler has already written everything.
    }

    /// <summary>Writes escaped text.</summary>
    public void Text(string? text) => HtmlText.Write(Inner, text);

    /// <summary>Writes a fragment this library produced as is.</summary>
    public void Fragment(HtmlFragment fragment) => Inner.Write(fragment.Markup);

    /// <summary>Renders into a fragment, for building a block before deciding where it goes.</summary>
    public static HtmlFragment Render(Action<HtmlWriter> render)
    {
        ArgumentNullException.ThrowIfNull(render);
        using var buffer = new StringWriter(CultureInfo.InvariantCulture);
        render(new HtmlWriter(buffer));
        return HtmlFragment.Trusted(buffer.ToString());
    }
}
