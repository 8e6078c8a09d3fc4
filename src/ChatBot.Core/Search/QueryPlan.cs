namespace ChatBot.Core.Search;

/// <summary>
/// What one question asks for: its own terms (bigrams, words, codes) and, for every thesaurus variant it contains,
/// the alternatives that satisfy that part of the question (the variant's own terms, or any one target phrase).
/// </summary>
internal sealed record QueryPlan(IReadOnlyList<string> Terms, IReadOnlyList<SynonymConcept> Synonyms)
{
    public bool IsEmpty => Terms.Count == 0 && Synonyms.Count == 0;
}

/// <param name="Variant">The member's word as found in the question (饭馆).</param>
/// <param name="Alternatives">Term lists of which any one, fully present, satisfies the concept; the first is the variant's own.</param>
internal sealed record SynonymConcept(string Variant, IReadOnlyList<IReadOnlyList<string>> Alternatives);
