using EvalLoop.Reporting.Html;

namespace EvalLoop.Reporting.Charts;

/// <summary>A chart ready to place inline: sanitized SVG, a title and a caption (plain text, escaped when written).</summary>
/// <param name="HasText">Whether the SVG contains text; false means the machine has no fonts (see <see cref="ChartFonts"/>).</param>
internal sealed record ChartSvg(string Title, string Caption, HtmlFragment Svg, bool HasText);
