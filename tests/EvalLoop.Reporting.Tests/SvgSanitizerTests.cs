using System.Xml;
using EvalLoop.Reporting.Charts;

namespace EvalLoop.Reporting.Tests;

public sealed class SvgSanitizerTests
{
    private const string Hostile =
        """
        <?xml version="1.0" encoding="utf-8" ?>
        <svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="100" height="50" onload="alert(1)">
          <script>alert(1)</script>
          <foreignObject><div>hi</div></foreignObject>
          <clipPath id="cl_1"><rect x="0" y="0" width="10" height="10"/></clipPath>
          <g clip-path="url(#cl_1)" style="background:url(http://x)"><rect fill="url(http://evil/x.svg#a)" onclick="alert(2)" width="5" height="5"/></g>
          <a xlink:href="javascript:alert(3)"><text x="1">x</text></a>
          <image href="http://evil/x.png"/>
          <text transform="translate(5 5)" font-family="DejaVu Sans" x="-1.5, 2.25, " y="3, ">
              Score &lt;b&gt;
          </text>
        </svg>
        """;

    [Fact]
    public void KeepsOnlyDrawingElementsAndPresentationAttributes()
    {
        var clean = SvgSanitizer.Sanitize(Hostile, "c1-", "A chart");

        clean.Should().NotContain("script").And.NotContain("onload").And.NotContain("onclick").And.NotContain("foreignObject")
            .And.NotContain("javascript").And.NotContain("http://evil").And.NotContain("style=").And.NotContain("<image").And.NotContain("<a ");
        clean.Should().StartWith("<svg").And.Contain("viewBox=\"0 0 100 50\"").And.Contain("role=\"img\"").And.Contain("aria-label=\"A chart\"");
    }

    [Fact]
    public void PrefixesIdsAndTheirReferencesSoChartsOnOnePageDoNotClipEachOther()
    {
        var clean = SvgSanitizer.Sanitize(Hostile, "c1-", "A chart");

        clean.Should().Contain("id=\"c1-cl_1\"").And.Contain("clip-path=\"url(#c1-cl_1)\"");
    }

    [Fact]
    public void KeepsTextEscapedTrimmedAndWithValidPositionLists()
    {
        var clean = SvgSanitizer.Sanitize(Hostile, "c1-", "A chart");

        clean.Should().Contain(">Score &lt;b&gt;</text>").And.Contain("x=\"-1.5 2.25\"").And.Contain("y=\"3\"");
    }

    [Fact]
    public void RefusesADocumentTypeAndANonSvgRoot()
    {
        var withDtd = () => SvgSanitizer.Sanitize("<!DOCTYPE svg [<!ENTITY x \"y\">]><svg xmlns=\"http://www.w3.org/2000/svg\">&x;</svg>", "p", "l");
        var html = () => SvgSanitizer.Sanitize("<html/>", "p", "l");

        withDtd.Should().Throw<XmlException>();
        html.Should().Throw<XmlException>();
    }
}
