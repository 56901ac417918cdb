/// Whether a worker took their lunch breaks in the week (the `lunch_break` field).
///
/// One word for the week rather than a count of days: it takes a second to give, and it reads
/// the same for someone working three days as for someone working five, where "2 days" would
/// not. It answers the Social Work Watch question (did you have a lunch break) per week.
public enum LunchBreak: String, Sendable, Hashable, Codable, CaseIterable {
    /// On every working day.
    case taken
    /// On some working days.
    case partly
    /// On none.
    case notTaken = "not_taken"
}

/// Whether a worker intends to leave their job within 12 months (the `intending_to_leave`
/// field). Opt-in: asked of nobody, shared only when the worker has set it.
public enum LeavingIntention: String, Sendable, Hashable, Codable, CaseIterable {
    case yes
    case no
    case unsure
}
