using System.ComponentModel.DataAnnotations;
using Microsoft.Extensions.Options;

namespace ChatBot.Core.Configuration;

/// <summary>
/// Data-annotation validation whose messages name the configuration key ("WeChat:Token is required"),
/// so an operator knows which environment variable or setting to fix.
/// </summary>
public sealed class SectionDataAnnotationValidator<TOptions>(string sectionName) : IValidateOptions<TOptions>
    where TOptions : class
{
    public ValidateOptionsResult Validate(string? name, TOptions options)
    {
        var results = new List<ValidationResult>();
        if (Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true))
            return ValidateOptionsResult.Success;
        return ValidateOptionsResult.Fail(results.Select(r =>
            $"{sectionName}:{string.Join(",", r.MemberNames)}: {r.ErrorMessage}"));
    }
}
