extension Report {
    /// One line per benchmark: the report's own figure (or why there is none) beside the
    /// national one, in words. Each year of a national figure has a line of its own, with its
    /// own sentence and source, so a reader sees which year's words back which number.
    var benchmarkLines: [(text: String, quote: String, source: String)] {
        benchmarks.map { benchmark in
            let text = "\(benchmark.reportFigureName): \(ownFigure(beside: benchmark)). Nationally: \(Report.number(benchmark.value)), the \(benchmark.label)."
            return (text, benchmark.quote, "\(benchmark.source); words verified in \(benchmark.verifiedIn)")
        }
    }

    /// The report's own figure beside `benchmark`, or why it is not shown: never another
    /// figure in its place (a raw caseload is not a caseload per FTE).
    private func ownFigure(beside benchmark: Benchmark) -> String {
        if let own = benchmark.reportFigure(in: total.statistics) { return Report.number(own) }
        let held = total.statistics.map { $0.heldBack.contains(benchmark.figure) } ?? total.suppressed
        return held ? "not shown (held back)" : "not shown (nobody gave it)"
    }

    /// The CSV rows of the benchmarks: the national value in the median column of the figure it
    /// stands beside, the quote in the label, the source last.
    func benchmarkRows() -> [[String]] {
        benchmarks.map { benchmark in
            var row = ["benchmark", benchmark.figure, "\(benchmark.label): “\(benchmark.quote)”", "0"]
                + Array(repeating: "", count: Report.figureColumns.count) + ["\(benchmark.source); words verified in \(benchmark.verifiedIn)"]
            if let index = Report.figureColumns.firstIndex(of: "\(benchmark.figure)_median") { row[4 + index] = Report.number(benchmark.value) }
            return row
        }
    }

    /// The most recent national caseload per FTE, for the headline.
    var latestNationalCaseloadPerFTE: Benchmark? {
        benchmarks.filter { $0.figure == ReportFigure.caseloadPerFTE.rawValue }.max { ($0.year ?? 0) < ($1.year ?? 0) }
    }
}
