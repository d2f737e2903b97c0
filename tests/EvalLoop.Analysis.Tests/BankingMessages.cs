namespace EvalLoop.Analysis.Tests;

/// <summary>Synthetic customer messages per intent, varied by a seeded random so every test gets the same ones.</summary>
internal static class BankingMessages
{
    private static readonly Dictionary<string, string[]> Templates = new(StringComparer.Ordinal)
    {
        ["card_arrival"] =
        [
            "My new card still hasn't arrived, it has been {n} days.",
            "When will my card arrive? I ordered it {n} days ago.",
            "I am still waiting for my card to show up in the mail.",
            "The card you sent me never arrived, what should I do?",
            "How do I track the card you posted {n} days ago?",
        ],
        ["card_delivery_estimate"] =
        [
            "How long does card delivery usually take?",
            "What is the delivery time for a new card to {country}?",
            "Can I get my card delivered faster than {n} days?",
        ],
        ["lost_or_stolen_card"] =
        [
            "I lost my card in {country}, please block it.",
            "Someone stole my wallet with my card yesterday.",
            "My card was stolen, how do I freeze it?",
        ],
        ["exchange_rate"] =
        [
            "What exchange rate do you use for {currency}?",
            "Is the {currency} exchange rate fixed on weekends?",
            "Why was my exchange rate worse than the market rate?",
        ],
        ["top_up_failed"] =
        [
            "My top up of {n} {currency} failed again.",
            "Why did my top-up get declined by the app?",
            "The top up did not go through, the money is missing.",
        ],
        ["request_refund"] =
        [
            "I want a refund for a purchase of {n} {currency}.",
            "How can I get my money back for an item I returned?",
            "Please refund the order I cancelled {n} days ago.",
        ],
        ["declined_transfer"] =
        [
            "My transfer of {n} {currency} to {country} was declined.",
            "Why does the app keep declining my bank transfer?",
            "The transfer to my friend got rejected, why?",
        ],
        ["pin_blocked"] =
        [
            "I entered the wrong PIN {n} times and now it is blocked.",
            "How do I unblock my PIN at an ATM?",
            "My PIN is blocked after too many tries.",
        ],
    };

    private static readonly string[] Countries = ["Spain", "Germany", "the UK", "France", "Italy", "Poland"];

    private static readonly string[] Currencies = ["euros", "dollars", "pounds", "zloty", "yen"];

    public static IReadOnlyCollection<string> Intents => Templates.Keys;

    /// <summary>A message for <paramref name="intent"/>, filled in by <paramref name="random"/>.</summary>
    public static string For(string intent, Random random)
    {
        var templates = Templates[intent];
        return templates[random.Next(templates.Length)]
            .Replace("{n}", random.Next(2, 30).ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{country}", Countries[random.Next(Countries.Length)], StringComparison.Ordinal)
            .Replace("{currency}", Currencies[random.Next(Currencies.Length)], StringComparison.Ordinal);
    }

    /// <summary>A random intent other than <paramref name="except"/>.</summary>
    public static string OtherIntent(Random random, string? except = null)
    {
        var intents = Templates.Keys.Where(i => i != except).ToArray();
        return intents[random.Next(intents.Length)];
    }
}
