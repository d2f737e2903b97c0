using EvalLoop.Reporting.Html;

namespace EvalLoop.Reporting.Tests;

public sealed class HtmlEscapingTests
{
    [Fact]
    public void EscapesTheFiveMarkupCharactersAndKeepsEverythingElse()
    {
        HtmlText.Escape("<a href=\"x\" title='y'>&amp; é 日本 😀</a>").Should()
            .Be("&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp; é 日本 😀&lt;/a&gt;");
        HtmlText.Escape(null).Should().BeEmpty();
    }

    [Fact]
    public void InterpolatedHolesAreEscapedAndLiteralsAndFragmentsAreNot()
    {
        var payload = "<script>alert(1)</script>";

        var fragment = HtmlWriter.Render(html => html.Write($"<td class=\"x\" title=\"{payload}\">{payload}{3.5}{HtmlFragment.Trusted("<b>ok</b>")}</td>"));

        fragment.Markup.Should().Be("<td class=\"x\" title=\"&lt;script&gt;alert(1)&lt;/script&gt;\">&lt;script&gt;alert(1)&lt;/script&gt;3.5<b>ok</b></td>");
    }

    [Fact]
    public void ScriptJsonEscapesEveryAngleBracketSoNoStringCanCloseTheBlock()
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>();
        using (var writer = new System.Text.Json.Utf8JsonWriter(buffer, ScriptJson.WriterOptions))
        {
            writer.WriteStringValue("</script><!-- é 日本 & 'quote'");
        }

        var json = System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
        json.Should().NotContain("<").And.Contain("\\u003C/script\\u003E").And.Contain("é 日本");
        ScriptJson.IsSafeForScriptBlock(buffer.WrittenSpan).Should().BeTrue();
        System.Text.Json.JsonSerializer.Deserialize<string>(json).Should().Be("</script><!-- é 日本 & 'quote'");
    }
}
