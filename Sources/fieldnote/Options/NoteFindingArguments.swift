import ArgumentParser

/// The two arguments of `link` and `unlink`: a note, then a finding.
struct NoteFindingArguments: ParsableArguments {
    @Argument(help: ArgumentHelp("The note's id as `list` shows it, or the full id.", valueName: "note"))
    var note: String

    @Argument(help: ArgumentHelp("The finding's id.", valueName: "finding"))
    var finding: String
}
