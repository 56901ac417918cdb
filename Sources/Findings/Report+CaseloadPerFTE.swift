/// Caseload per full-time equivalent (FTE): each weekly caseload scaled to a full-time week.
///
/// The DfE workforce census divides the cases held by the case-holding FTE, so a part-time
/// worker's cases weigh as they would over a full-time week. A raw caseload median set beside
/// that national average would compare a part-time worker's 12 children with a full-timer's;
/// scaling each record by its paid hours lets the report compare like with like.
extension Report {
    /// The standard full-time week of the NJC Green Book (the national agreement for English
    /// councils' staff), in hours: the week an FTE of 1 is paid for.
    public static let fullTimeWeeklyHours = 37.0

    /// The fewest paid hours a caseload per FTE is drawn from: a tenth of a full-time week.
    /// Fewer would multiply a caseload more than tenfold, so that a few cases, or a slip of the
    /// keyboard, stands in the report as a caseload nobody holds; and 0 would divide by zero.
    public static let minimumPaidHoursPerFTE = fullTimeWeeklyHours / 10
}

extension EvidenceMetrics {
    /// Children allocated per full-time week: caseload × 37 ÷ hours paid. Nil without a caseload
    /// of at least 1 (the census counts case-holding workers only) or without at least
    /// `Report.minimumPaidHoursPerFTE` paid hours, so it is always finite: at most 200 × 10.
    var caseloadPerFTE: Double? {
        guard let caseload, caseload > 0, let hoursPaid, hoursPaid >= Report.minimumPaidHoursPerFTE else { return nil }
        return Double(caseload) * Report.fullTimeWeeklyHours / hoursPaid
    }
}
