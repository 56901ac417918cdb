/// Canonical comparison of two replicas' views of an entity, for convergence checks.
extension EntityState: Equatable {
    public static func == (lhs: EntityState, rhs: EntityState) -> Bool {
        lhs.id == rhs.id && lhs.space == rhs.space && lhs.kind == rhs.kind && lhs.created == rhs.created
            && lhs.author == rhs.author && lhs.updated == rhs.updated && lhs.fields == rhs.fields && lhs.sets == rhs.sets
            && lhs.deletion == rhs.deletion && lhs.isPurged == rhs.isPurged
            && lhs.text.text == rhs.text.text
            && lhs.text.canonicalItems.elementsEqual(rhs.text.canonicalItems) { $0 == $1 }
    }
}
