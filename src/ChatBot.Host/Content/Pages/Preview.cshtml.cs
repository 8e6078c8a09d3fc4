using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace ChatBot.Host.Content.Pages;

/// <summary>
/// The editor's live preview: htmx posts the textarea (with the antiforgery header) and swaps in the body rendered
/// exactly as members will see it — through <see cref="ContentMarkdown.ToSafeHtml"/>, so the preview is sanitised too.
/// </summary>
public sealed class PreviewModel : PageModel
{
    public IActionResult OnGet() => NotFound();

    public IActionResult OnPost([FromForm(Name = "Form.BodyMarkdown")] string? markdown)
    {
        if (markdown?.Length > Core.Domain.ContentItem.MaxBodyLength) markdown = markdown[..Core.Domain.ContentItem.MaxBodyLength];
        var html = string.IsNullOrWhiteSpace(markdown) ? "<p class=\"text-body-secondary\">（正文为空）</p>" : ContentMarkdown.ToSafeHtml(markdown);
        return Content(html, "text/html; charset=utf-8");
    }
}
