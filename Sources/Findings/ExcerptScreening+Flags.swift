import Foundation

extension ExcerptScreening {
    /// The parts of `excerpt` that look like a name, a date, an address, a postcode or a phone
    /// number, in the order they occur. Heuristic on purpose: a false flag costs one more yes, a
    /// missed one could identify a child.
    public static func flags(_ excerpt: String) -> [Flag] {
        var found: [(range: Range<String.Index>, flag: Flag)] = []
        func add(_ kind: String, _ pattern: String, options: NSRegularExpression.Options = []) {
            guard let expression = try? NSRegularExpression(pattern: pattern, options: options) else { return }
            for match in expression.matches(in: excerpt, range: NSRange(excerpt.startIndex..., in: excerpt)) {
                guard let range = Range(match.range, in: excerpt),
                      !found.contains(where: { $0.range.overlaps(range) }) else { continue }
                found.append((range, Flag(kind: kind, text: String(excerpt[range]))))
            }
        }
        add("a phone number", #"(?:\+44\s?|\b0)(?:\d[\s-]?){9,10}\b"#)
        add("a postcode", #"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b"#, options: .caseInsensitive)
        add("a date", #"\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b|\b\d{1,2}(?:st|nd|rd|th)?\s+(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?(?:\s+\d{4})?\b|\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?\b"#,
            options: .caseInsensitive)
        add("a date", #"\b(?:DOB|D\.O\.B\.?|date of birth|born)\b"#, options: .caseInsensitive)
        add("an address", #"\b\d+[A-Za-z]?\s+(?:[A-Z][a-z]+\s+){1,3}(?:Road|Rd|Street|St|Avenue|Ave|Lane|Ln|Close|Drive|Dr|Way|Court|Ct|Place|Pl|Crescent|Grove|Gardens|Terrace|Walk|Hill|Row|Square|Mews|View|Park)\b"#)
        add("a name", #"\b(?:Mr|Mrs|Ms|Miss|Mx|Dr)\.?\s+[A-Z][a-z'’-]+"#)
        add("a name", #"\b(?:son|daughter|mother|father|mum|dad|brother|sister|child|baby|boy|girl|nan|grandmother|grandfather|stepfather|stepmother|partner|carer)\s+(?:called\s+|named\s+)?[A-Z][a-z'’-]+"#)
        // A capitalised word inside a sentence (not its first word, not a word every report
        // uses): names are written that way, and so is little else in a workload note.
        add("a name", #"(?<=[a-z,;:)]\s)[A-Z][a-z'’-]{2,}(?:\s+[A-Z][a-z'’-]+)?"#)
        found.removeAll { $0.flag.kind == "a name" && commonCapitalised.contains($0.flag.text.split(separator: " ")[0].lowercased()) }
        return found.sorted { $0.range.lowerBound < $1.range.lowerBound }.map(\.flag)
    }

    /// Capitalised words a workload excerpt uses that name no one.
    static let commonCapitalised: Set<String> = [
        "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
        "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
        "november", "december", "ofsted", "lga", "basw", "unison", "gmb", "unite", "dfe", "nhs", "cqc",
        "council", "court", "police", "mash", "cin", "cp", "lac", "iro", "ehcp", "the", "this", "that", "we", "they",
    ]
}
