using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using System.Xml;
using System.Xml.Linq;

namespace EvalLoop.Reporting.Charts;

/// <summary>
/// Re-serializes a chart's SVG through an allow-list before it is placed inline in a report. Skia already escapes
/// text, but labels come from data (metadata values, cluster names), and inline SVG is parsed by the browser like
/// HTML: a <c>&lt;script&gt;</c> or an <c>on*</c> attribute inside it would run. So only drawing elements and
/// presentation attributes survive, references may only point inside the same chart, and ids get a per-chart prefix
/// (several charts on one page would otherwise share ScottPlot's clip-path ids and clip each other).
/// </summary>
internal static partial class SvgSanitizer
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    private static readonly HashSet<string> Elements = new(StringComparer.Ordinal)
    {
        "svg", "g", "defs", "clipPath", "path", "rect", "circle", "ellipse", "line", "polyline", "polygon", "text", "tspan",
    };

    private static readonly HashSet<string> Attributes = new(StringComparer.Ordinal)
    {
        "width", "height", "viewBox", "x", "y", "dx", "dy", "x1", "y1", "x2", "y2", "cx", "cy", "r", "rx", "ry", "d", "points",
        "transform", "fill", "fill-opacity", "fill-rule", "stroke", "stroke-width", "stroke-opacity", "stroke-miterlimit",
        "stroke-dasharray", "stroke-dashoffset", "stroke-linecap", "stroke-linejoin", "opacity", "clip-path", "clip-rule",
        "font-size", "font-weight", "font-family", "font-style", "text-anchor", "dominant-baseline", "id",
    };

    /// <summary>
    /// The sanitized SVG, without XML declaration, with a <c>viewBox</c> so it scales, ids prefixed with
    /// <paramref name="idPrefix"/>, and a <c>role="img"</c> and <c>aria-label</c> of <paramref name="label"/>.
    /// </summary>
    /// <exception cref="XmlException">The input is not well-formed XML.</exception>
    public static string Sanitize(string svg, string idPrefix, string label)
    {
        ArgumentNullException.ThrowIfNull(svg);
        var settings = new XmlReaderSettings { DtdProcessing = DtdProcessing.Prohibit, XmlResolver = null, IgnoreComments = true, IgnoreProcessingInstructions = true };
        XDocument document;
        using (var reader = XmlReader.Create(new StringReader(svg), settings))
        {
            document = XDocument.Load(reader);
        }

        var root = document.Root ?? throw new XmlException("The chart has no root element.");
        if (root.Name != Svg + "svg")
        {
            throw new XmlException($"The chart's root element is {root.Name}, not svg.");
        }

        var clean = CleanElement(root, idPrefix)!;
        if (clean.Attribute("viewBox") is null && clean.Attribute("width") is { } w && clean.Attribute("height") is { } h)
        {
            clean.SetAttributeValue("viewBox", string.Create(CultureInfo.InvariantCulture, $"0 0 {w.Value} {h.Value}"));
        }

        clean.SetAttributeValue("role", "img");
        clean.SetAttributeValue("aria-label", label);
        var output = new StringBuilder(svg.Length);
        using (var writer = XmlWriter.Create(output, new XmlWriterSettings { OmitXmlDeclaration = true, Indent = false, NewLineHandling = NewLineHandling.Entitize }))
        {
            clean.WriteTo(writer);
        }

        return output.ToString();
    }

    private static XElement? CleanElement(XElement element, string idPrefix)
    {
        if (element.Name.Namespace != Svg || !Elements.Contains(element.Name.LocalName))
        {
            return null;
        }

        var clean = new XElement(Svg + element.Name.LocalName);
        foreach (var attribute in element.Attributes())
        {
            if (attribute.IsNamespaceDeclaration || attribute.Name.Namespace != XNamespace.None || !Attributes.Contains(attribute.Name.LocalName))
            {
                continue;
            }

            var value = CleanAttribute(attribute.Name.LocalName, attribute.Value, idPrefix);
            if (value is not null)
            {
                clean.SetAttributeValue(attribute.Name.LocalName, value);
            }
        }

        var isText = element.Name.LocalName is "text" or "tspan";
        foreach (var node in element.Nodes())
        {
            switch (node)
            {
                case XElement child when CleanElement(child, idPrefix) is { } cleanChild:
                    clean.Add(cleanChild);
                    break;
                case XText text when isText:
                    // Browsers drop the leading and trailing whitespace of SVG text anyway; Skia indents it.
                    var trimmed = text.Value.Trim();
                    if (trimmed.Length > 0)
                    {
                        clean.Add(new XText(trimmed));
                    }

                    break;
            }
        }

        return clean;
    }

    private static string? CleanAttribute(string name, string value, string idPrefix)
    {
        switch (name)
        {
            case "id":
                return IdPattern().IsMatch(value) ? idPrefix + value : null;
            case "x" or "y" or "dx" or "dy":
                // Skia writes glyph positions as "1.5, 7.25, " with a trailing separator that SVG number lists do not allow.
                return value.Replace(", ", " ", StringComparison.Ordinal).Trim().TrimEnd(',');
        }

        if (value.Contains("url(", StringComparison.OrdinalIgnoreCase))
        {
            var match = LocalUrlPattern().Match(value);
            return match.Success ? $"url(#{idPrefix}{match.Groups[1].Value})" : null;
        }

        // Anything that could smuggle a script or an external reference into a presentation attribute is dropped.
        return value.Contains("javascript:", StringComparison.OrdinalIgnoreCase) || value.Contains('<') || value.Contains("expression(", StringComparison.OrdinalIgnoreCase)
            ? null
            : value;
    }

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_.-]*$")]
    private static partial Regex IdPattern();

    [GeneratedRegex(@"^\s*url\(\s*#([A-Za-z_][A-Za-z0-9_.-]*)\s*\)\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex LocalUrlPattern();
}
