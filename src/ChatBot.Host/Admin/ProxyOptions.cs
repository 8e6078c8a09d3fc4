using System.Net;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Options;

namespace ChatBot.Host.Admin;

/// <summary>
/// Reverse proxies whose <c>X-Forwarded-For</c> / <c>X-Forwarded-Proto</c> are believed. Empty (the default): no
/// forwarded header is honoured, not even from loopback, so a caller cannot claim to be someone else.
/// </summary>
public sealed class ProxyOptions
{
    public const string SectionName = "Proxy";

    /// <summary>Addresses of trusted proxies, e.g. <c>["10.0.0.5"]</c> (env: <c>Proxy__KnownProxies__0=10.0.0.5</c>).</summary>
    public string[] KnownProxies { get; set; } = [];

    /// <summary>Trusted proxy networks in CIDR form, e.g. <c>["10.0.0.0/24"]</c>.</summary>
    public string[] KnownNetworks { get; set; } = [];
}

internal sealed class ProxyOptionsValidator : IValidateOptions<ProxyOptions>
{
    public ValidateOptionsResult Validate(string? name, ProxyOptions options)
    {
        var errors = new List<string>();
        for (var i = 0; i < options.KnownProxies.Length; i++)
            if (!IPAddress.TryParse(options.KnownProxies[i], out _))
                errors.Add($"{ProxyOptions.SectionName}:KnownProxies:{i} must be an IP address (was '{options.KnownProxies[i]}')");
        for (var i = 0; i < options.KnownNetworks.Length; i++)
            if (!System.Net.IPNetwork.TryParse(options.KnownNetworks[i], out _))
                errors.Add($"{ProxyOptions.SectionName}:KnownNetworks:{i} must be a network in CIDR form like 10.0.0.0/24 (was '{options.KnownNetworks[i]}')");
        return errors.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(errors);
    }
}

internal static class ForwardedHeadersSetup
{
    public static void Apply(ForwardedHeadersOptions forwarded, ProxyOptions proxy)
    {
        forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
        // ASP.NET Core trusts loopback by default; behind a proxy on the same host every caller is loopback, so only
        // what the operator lists is trusted.
        forwarded.KnownProxies.Clear();
        forwarded.KnownIPNetworks.Clear();
        foreach (var address in proxy.KnownProxies) forwarded.KnownProxies.Add(IPAddress.Parse(address));
        foreach (var network in proxy.KnownNetworks) forwarded.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network));
    }
}
