import Schema
import Template

/// Everything a rule may look at: the template as written, as resolved, and as tables.
public struct LintContext: Sendable {
    public var template: Template
    public var resolved: ResolvedTemplate
    public var model: Model
    public var sourceSize: Int

    public init(resolved: ResolvedTemplate, sourceSize: Int) {
        self.init(resolved: resolved, model: Model(resolved), sourceSize: sourceSize)
    }

    /// `model` is `Model(resolved)`, built already.
    public init(resolved: ResolvedTemplate, model: Model, sourceSize: Int) {
        self.template = resolved.template
        self.resolved = resolved
        self.model = model
        self.sourceSize = sourceSize
    }

    /// Parses, resolves and models template text; an unreadable template or an invalid parameter value throws.
    public init(source: [UInt8], options: ResolveOptions = ResolveOptions()) throws(ParseError) {
        let template = try Template.parse(source)
        self.init(resolved: try Resolver.resolve(template, options: options), sourceSize: source.count)
    }

    public var tables: [Table] { model.tables }

    /// Calls `body` with each table where it lies, not a copy of it: `for table in tables` copies every table, with
    /// its few dozen reference-counted fields each retained and released atomically, once per rule — contended
    /// across the threads the rules run on.
    public func forEachTable(_ body: (Table) throws -> Void) rethrows {
        try model.tables.withUnsafeBufferPointer { tables in
            for index in tables.indices { try body(tables[index]) }
        }
    }

    /// Whether a false Condition leaves `table` out with these values (lint checks it anyway).
    public func isExcluded(_ table: Table) -> Bool { model.excludedTables.contains { $0.logicalId == table.logicalId } }
}
