namespace Xuncha.Clues.Transfers;

/// <summary>Clues:* settings for transfer letters and feedback deadlines.</summary>
public sealed class TransferOptions
{
    /// <summary>Placeholders: {jurisdiction} (the prefix configured for it, else its id), {year}, {seq}.</summary>
    public string LetterNumberFormat { get; set; } = "{jurisdiction}巡移〔{year}〕{seq}号";
    public Dictionary<string, string> LetterPrefixes { get; set; } = [];
    /// <summary>The issuing office's full name per jurisdiction, as printed on the letter.</summary>
    public Dictionary<string, string> IssuingOffices { get; set; } = [];
    /// <summary>Months the receiving office has to feed back its handling result.</summary>
    public int FeedbackMonths { get; set; } = 3;
    public int ReminderIntervalDays { get; set; } = 7;
    public int SweepMinutes { get; set; } = 60;

    public string IssuingOffice(string jurisdiction) => IssuingOffices.GetValueOrDefault(jurisdiction, "巡察工作领导小组办公室");

    public string LetterNumber(string jurisdiction, int year, long sequence) =>
        LetterNumberFormat
            .Replace("{jurisdiction}", LetterPrefixes.GetValueOrDefault(jurisdiction, jurisdiction), StringComparison.Ordinal)
            .Replace("{year}", year.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("{seq}", sequence.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparison.Ordinal);
}
