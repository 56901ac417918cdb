import Foundation

extension Finding: Codable {
    enum CodingKeys: String, CodingKey, CaseIterable {
        case id, title, publisher, authority, published, category, quote, summary, source
        case quotedIn = "quoted_in"
        case verifiedIn = "verified_in"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        title = try container.decode(String.self, forKey: .title)
        publisher = try container.decode(String.self, forKey: .publisher)
        authority = try container.decode(String.self, forKey: .authority)
        published = try container.decode(String.self, forKey: .published)
        category = try container.decode(FindingCategory.self, forKey: .category)
        quote = try container.decode(String.self, forKey: .quote)
        summary = try container.decodeIfPresent(String.self, forKey: .summary) ?? ""
        source = try container.decode(String.self, forKey: .source)
        quotedIn = try container.decodeIfPresent(String.self, forKey: .quotedIn)
        verifiedIn = try container.decodeIfPresent(String.self, forKey: .verifiedIn)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id, forKey: .id)
        try container.encode(title, forKey: .title)
        try container.encode(publisher, forKey: .publisher)
        try container.encode(authority, forKey: .authority)
        try container.encode(published, forKey: .published)
        try container.encode(category, forKey: .category)
        try container.encode(quote, forKey: .quote)
        if !summary.isEmpty { try container.encode(summary, forKey: .summary) }
        try container.encode(source, forKey: .source)
        try container.encodeIfPresent(quotedIn, forKey: .quotedIn)
        try container.encodeIfPresent(verifiedIn, forKey: .verifiedIn)
    }
}

extension Finding {
    /// Pretty, key-sorted JSON for `findings show --json` and exports.
    public static func encodeJSON(_ findings: [Finding]) -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Encoding plain strings and enums cannot fail.
        return (try? encoder.encode(findings)) ?? Data("[]".utf8)
    }
}
