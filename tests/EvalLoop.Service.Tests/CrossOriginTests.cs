using System.Net;
using System.Text.RegularExpressions;
using EvalLoop.Service.Security;

namespace EvalLoop.Service.Tests;

/// <summary>Cross-site request forgery and DNS rebinding: what another origin, or another host name, can make the service do.</summary>
public sealed partial class CrossOriginTests
{
    private static readonly string Run = $"/api/experiments/{ServiceHost.Experiment}/run";

    [Fact]
    public async Task RefusesAnApiStateChangeFromAnotherOriginThatCarriesOnlyTheSessionCookie()
    {
        await using var host = await ServiceHost.StartAsync();
        using var browser = await SignedInBrowserAsync(host);
        var port = host.Client.BaseAddress!.Port;

        var otherPort = await SendAsync(browser, HttpMethod.Post, Run, ("Origin", $"http://127.0.0.1:{port + 1}"));
        var sibling = await SendAsync(browser, HttpMethod.Post, Run, ("Origin", "http://evil.localhost"));
        var crossSite = await SendAsync(browser, HttpMethod.Post, Run, ("Sec-Fetch-Site", "cross-site"));
        var sameSite = await SendAsync(browser, HttpMethod.Post, Run, ("Sec-Fetch-Site", "same-site"));
        var sandboxed = await SendAsync(browser, HttpMethod.Post, Run, ("Origin", "null"));
        var noOrigin = await SendAsync(browser, HttpMethod.Post, Run);
        var approve = await SendAsync(browser, HttpMethod.Post, "/api/suggestions/s-1/approve", ("Origin", "http://evil.example"));
        var pause = await SendAsync(browser, HttpMethod.Post, $"/api/schedules/{ServiceHost.Experiment}/pause", ("Sec-Fetch-Site", "cross-site"));
        var read = await SendAsync(browser, HttpMethod.Get, "/api/runs", ("Sec-Fetch-Site", "cross-site"));

        foreach (var refused in new[] { otherPort, sibling, crossSite, sameSite, sandboxed, noOrigin, approve, pause })
        {
            refused.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        }

        (await otherPort.Content.ReadAsStringAsync()).Should().Contain("another origin");
        read.StatusCode.Should().Be(HttpStatusCode.OK, "the cookie is accepted on API reads: another origin cannot read the answer");
        (await host.Services.Runs.ListRunsAsync()).Should().BeEmpty("nothing ran");
    }

    [Fact]
    public async Task AcceptsAnApiStateChangeWithTheBearerTokenOrWithTheCookieFromTheServicesOwnOrigin()
    {
        await using var host = await ServiceHost.StartAsync();
        using var browser = await SignedInBrowserAsync(host);
        var origin = host.Client.BaseAddress!.GetLeftPart(UriPartial.Authority);

        var bearer = await SendAsync(host.Client, HttpMethod.Post, Run, ("Origin", "http://evil.example"), ("Sec-Fetch-Site", "cross-site"));
        var sameOrigin = await SendAsync(browser, HttpMethod.Post, Run, ("Origin", origin));
        var sameOriginFetch = await SendAsync(browser, HttpMethod.Post, Run, ("Sec-Fetch-Site", "same-origin"));

        bearer.StatusCode.Should().Be(HttpStatusCode.Accepted, "a browser never adds the bearer token by itself");
        sameOrigin.StatusCode.Should().Be(HttpStatusCode.Accepted);
        sameOriginFetch.StatusCode.Should().Be(HttpStatusCode.Accepted);
    }

    [Fact]
    public async Task AcceptsTheSignedInUisOwnFormPostAndRefusesTheSameFormFromAnotherOrigin()
    {
        await using var host = await ServiceHost.StartAsync();
        using var browser = await SignedInBrowserAsync(host);
        var origin = host.Client.BaseAddress!.GetLeftPart(UriPartial.Authority);
        var trigger = $"/schedules/{ServiceHost.Experiment}/trigger";

        var forged = await SendAsync(browser, HttpMethod.Post, trigger, await FormAsync(browser, "/schedules"), ("Origin", "http://evil.localhost"));
        var forgedSameSite = await SendAsync(browser, HttpMethod.Post, trigger, await FormAsync(browser, "/schedules"), ("Sec-Fetch-Site", "same-site"));
        // The pages' Referrer-Policy: no-referrer makes the browser send Origin: null on their own form posts.
        var own = await SendAsync(browser, HttpMethod.Post, trigger, await FormAsync(browser, "/schedules"), ("Origin", "null"), ("Sec-Fetch-Site", "same-origin"));
        var ownWithOrigin = await SendAsync(browser, HttpMethod.Post, trigger, await FormAsync(browser, "/schedules"), ("Origin", origin));

        forged.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        forgedSameSite.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        own.StatusCode.Should().Be(HttpStatusCode.Redirect);
        own.Headers.Location!.OriginalString.Should().Be("/schedules");
        ownWithOrigin.StatusCode.Should().Be(HttpStatusCode.Redirect);
    }

    [Fact]
    public async Task WithoutATokenRefusesAnApiStateChangeFromAnotherOriginAndAcceptsAScriptsCall()
    {
        await using var host = await ServiceHost.StartAsync(configure: o => o with { Token = null });
        using var script = host.Anonymous();

        var crossOrigin = await SendAsync(script, HttpMethod.Post, Run, ("Origin", "http://localhost:3000"));
        var crossSite = await SendAsync(script, HttpMethod.Post, Run, ("Sec-Fetch-Site", "cross-site"));
        var plain = await SendAsync(script, HttpMethod.Post, Run);

        crossOrigin.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        crossSite.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        plain.StatusCode.Should().Be(HttpStatusCode.Accepted, "a script on the machine sends no Origin, and there is no token to send");
    }

    [Fact]
    public async Task RefusesAHostNameThatIsNotTheLoopbackServicesOwnAgainstDnsRebinding()
    {
        await using var host = await ServiceHost.StartAsync(configure: o => o with { Token = null });
        using var client = host.Anonymous();
        var port = client.BaseAddress!.Port;

        var rebound = await SendAsync(client, HttpMethod.Get, "/api/runs", ("Host", $"evil.example:{port}"));
        var reboundPost = await SendAsync(client, HttpMethod.Post, Run, ("Host", $"evil.example:{port}"), ("Origin", $"http://evil.example:{port}"));
        var byAddress = await SendAsync(client, HttpMethod.Get, "/api/runs", ("Host", $"127.0.0.1:{port}"));
        var byName = await SendAsync(client, HttpMethod.Get, "/api/runs", ("Host", $"localhost:{port}"));

        rebound.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await rebound.Content.ReadAsStringAsync()).Should().Contain("hostname is invalid");
        reboundPost.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        byAddress.StatusCode.Should().Be(HttpStatusCode.OK);
        byName.StatusCode.Should().Be(HttpStatusCode.OK);
        (await host.Services.Runs.ListRunsAsync()).Should().BeEmpty("the rebound page ran nothing");
    }

    [Fact]
    public void AllowsTheLoopbackNamesTheListenHostsAndThePublicUrlAndAnyHostOnlyOnAWildcardBinding()
    {
        var workspace = Path.GetTempPath();

        var loopback = AllowedHosts.For(new EvalLoopServiceOptions { Workspace = workspace, Urls = "http://127.0.0.1:5080" });
        var named = AllowedHosts.For(new EvalLoopServiceOptions { Workspace = workspace, Urls = "https://evalloop.corp.example:8443;http://[::1]:5080", PublicUrl = "https://evalloop.example.com/", Token = ServiceHost.Token });
        var anyV4 = AllowedHosts.For(new EvalLoopServiceOptions { Workspace = workspace, Urls = "http://0.0.0.0:5080", Token = ServiceHost.Token });
        var anyV6 = AllowedHosts.For(new EvalLoopServiceOptions { Workspace = workspace, Urls = "http://127.0.0.1:5080;http://[::]:5080", Token = ServiceHost.Token });

        var extra = AllowedHosts.For(new EvalLoopServiceOptions { Workspace = workspace, Urls = "http://10.0.0.5:5080", Token = ServiceHost.Token, ExtraAllowedHosts = ["Build-Box", "build-box.corp.example"] });
        var extraAny = AllowedHosts.For(new EvalLoopServiceOptions { Workspace = workspace, Urls = "http://10.0.0.5:5080", Token = ServiceHost.Token, ExtraAllowedHosts = ["*"] });
        var anyWithoutToken = EvalLoopServiceOptionsValidator.Validate(new EvalLoopServiceOptions { Workspace = workspace, Urls = "http://127.0.0.1:5080", ExtraAllowedHosts = ["*"] });
        var withScheme = EvalLoopServiceOptionsValidator.Validate(new EvalLoopServiceOptions { Workspace = workspace, Urls = "http://127.0.0.1:5080", ExtraAllowedHosts = ["http://build-box"] });

        loopback.Should().BeEquivalentTo(["localhost", "127.0.0.1", "[::1]"]);
        extra.Should().BeEquivalentTo(["10.0.0.5", "build-box", "build-box.corp.example"]);
        extraAny.Should().Equal("*");
        anyWithoutToken.Should().ContainSingle().Which.Should().Contain("needs a token");
        withScheme.Should().ContainSingle().Which.Should().Contain("is not a host name");
        named.Should().BeEquivalentTo(["evalloop.corp.example", "localhost", "127.0.0.1", "[::1]", "evalloop.example.com"]);
        anyV4.Should().Equal("*");
        anyV6.Should().Equal("*");
    }

    /// <summary>A cookie-keeping client without the bearer token, signed in through the <c>/login</c> form as a browser is.</summary>
    private static async Task<HttpClient> SignedInBrowserAsync(ServiceHost host)
    {
        var browser = host.Anonymous();
        var form = await FormAsync(browser, "/login", ("token", ServiceHost.Token));
        var login = await SendAsync(browser, HttpMethod.Post, "/login", form, ("Origin", browser.BaseAddress!.GetLeftPart(UriPartial.Authority)));
        login.StatusCode.Should().Be(HttpStatusCode.Redirect);
        login.Headers.Location!.OriginalString.Should().Be("/");
        return browser;
    }

    /// <summary>The first form on <paramref name="page"/> as a body: its anti-forgery field and <paramref name="fields"/>.</summary>
    private static async Task<FormUrlEncodedContent> FormAsync(HttpClient client, string page, params (string Name, string Value)[] fields)
    {
        var html = await (await client.GetAsync(page)).Content.ReadAsStringAsync();
        var token = AntiforgeryField().Match(html);
        token.Success.Should().BeTrue($"{page} has a form with the anti-forgery token");
        var values = new Dictionary<string, string> { [token.Groups["name"].Value] = WebUtility.HtmlDecode(token.Groups["value"].Value) };
        foreach (var (name, value) in fields)
        {
            values[name] = value;
        }

        return new FormUrlEncodedContent(values);
    }

    private static Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string path, params (string Name, string Value)[] headers) =>
        SendAsync(client, method, path, null, headers);

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, HttpMethod method, string path, HttpContent? content, params (string Name, string Value)[] headers)
    {
        using var request = new HttpRequestMessage(method, path) { Content = content };
        foreach (var (name, value) in headers)
        {
            if (name == "Host")
            {
                request.Headers.Host = value;
            }
            else
            {
                request.Headers.TryAddWithoutValidation(name, value);
            }
        }

        return await client.SendAsync(request);
    }

    [GeneratedRegex("name=\"(?<name>[^\"]+)\" value=\"(?<value>[^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
