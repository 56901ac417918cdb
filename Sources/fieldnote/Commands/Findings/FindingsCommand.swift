import ArgumentParser

struct FindingsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "findings",
        abstract: "List, show and add the published findings that notes link to.",
        discussion: """
            A catalog of real published findings ships with fieldnote: Ofsted inspections, council \
            scrutiny reports, LGA peer reviews and national reviews, each with a stable id, its \
            publisher, date, category, a short quote in the source's own words and the source. \
            Findings you add (one by one or from a file) sync to colleagues in the team space.

            Categories: workforce, supervision, thresholds, caseload_workload, allocation, \
            front_door, management_oversight, recording_it, voice_of_child, \
            recruitment_retention, wellbeing_sickness, blame_culture.

            Examples:
              fieldnote findings list --category caseload_workload
              fieldnote findings show ofsted-worcestershire-2017-caseloads
              fieldnote findings import branch-survey.csv
            """,
        subcommands: [FindingsListCommand.self, FindingsShowCommand.self, FindingsAddCommand.self, FindingsImportCommand.self])
}
