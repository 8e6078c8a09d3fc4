namespace ChatBot.Core.Domain;

/// <summary>
/// A change the domain rules refuse. <see cref="Field"/> names the input (camelCase, as the API's JSON and the
/// console's form fields call it) so the API answers a problem detail naming it and a page shows it beside the field.
/// The message is Simplified Chinese, shown as it is.
/// </summary>
public sealed class RuleViolation(string field, string message) : Exception(message)
{
    public string Field { get; } = field;
}
