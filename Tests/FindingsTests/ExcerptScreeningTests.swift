import Foundation
import Testing
@testable import Findings

/// What got past the old excerpt check, and what it now refuses or flags.
@Suite("Excerpt screening")
struct ExcerptScreeningTests {
    @Test func theCaseTokenIsCaughtInEveryDisguise() {
        let token = "C-7K2Q-9XDM"
        for disguised in ["c-7k2q-9xdm", "C7K2Q9XDM", "C 7K2Q 9XDM", "C-7K\u{200B}2Q-9X\u{200D}DM", "Ｃ－７Ｋ２Ｑ－９ＸＤＭ", "C.7K2Q.9XDM"] {
            #expect(ExcerptScreening.holdsToken("see \(disguised) again", token: token), "\(disguised)")
        }
        #expect(!ExcerptScreening.holdsToken("caseload 31, supervision cancelled", token: token))
    }

    @Test func theAliasIsCaughtByItsWordsAndItsLookAlikes() {
        #expect(ExcerptScreening.holdsAlias("Visited the Smiths again", alias: "the Smiths"))
        #expect(ExcerptScreening.holdsAlias("Smiths were out", alias: "the Smiths"))
        #expect(ExcerptScreening.holdsAlias("Mrs Smith said no", alias: "the Smiths"))
        #expect(ExcerptScreening.holdsAlias("The Smith's house", alias: "Smith family"))
        #expect(ExcerptScreening.holdsAlias("Sm\u{200B}iths again", alias: "the Smiths"), "a zero-width space")
        #expect(ExcerptScreening.holdsAlias("Smіths again", alias: "the Smiths"), "a Cyrillic і")
        #expect(ExcerptScreening.holdsAlias("SMITHS again", alias: "the Smiths"))
        #expect(ExcerptScreening.holdsAlias("Ｓｍｉｔｈｓ again", alias: "the Smiths"), "full-width letters")
        #expect(!ExcerptScreening.holdsAlias("Supervision cancelled again", alias: "the Smiths"))
        #expect(!ExcerptScreening.holdsAlias("the family was out", alias: "the Smith family"), "filler words alone are not the alias")
    }

    @Test func evidenceRefusesThemAndSharesNoInvisibleCharacters() throws {
        #expect(throws: FindingsError.self) { try Evidence.checkExcerpt("Sm\u{200B}iths again", caseToken: nil, alias: "the Smiths") }
        #expect(throws: FindingsError.self) { try Evidence.checkExcerpt("see c 7k2q 9xdm", caseToken: "C-7K2Q-9XDM", alias: nil) }
        #expect(try Evidence.checkExcerpt("Over\u{200B}time again", caseToken: nil, alias: nil) == "Overtime again")
    }

    @Test func identifyingLookingTextIsFlagged() {
        let flags = ExcerptScreening.flags("Mrs Smith and her son Jayden (DOB 3/4/2015) at 12 Elm Road, B15 2TT, 07700 900123")
        let kinds = Set(flags.map(\.kind))
        #expect(kinds == ["a name", "a date", "an address", "a postcode", "a phone number"], "\(flags)")
        #expect(flags.contains { $0.text == "Mrs Smith" } && flags.contains { $0.text.contains("Jayden") })
        #expect(flags.contains { $0.text == "12 Elm Road" } && flags.contains { $0.text == "3/4/2015" })
        #expect(ExcerptScreening.flags("Met Ellie on 4 March about her placement").map(\.kind).sorted() == ["a date", "a name"])
        for plain in ["Third cancelled supervision this month.", "Caseload over 30 since Monday; Ofsted visit due.",
                      "No supervision for six weeks, 12 unallocated cases."] {
            #expect(ExcerptScreening.flags(plain).isEmpty, "\(plain): \(ExcerptScreening.flags(plain))")
        }
    }
}
