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

    /// Calls `body` with each table where it lies. A `Table` handed to a closure is copied whole (960 bytes, two
    /// dozen reference-counted fields, each retained and released atomically), once per table and rule, from the
    /// threads the rules share; through a `TableRef` each rule reads, and copies, only the fields it asks for.
    public func forEachTable(_ body: (TableRef) throws -> Void) rethrows {
        for index in model.tables.indices { try body(TableRef(model.tables, index)) }
    }

    /// Whether a false Condition leaves `table` out with these values (lint checks it anyway).
    public func isExcluded(_ table: TableRef) -> Bool {
        model.excludedTables.contains { $0.logicalId == table.logicalId }
    }
}

/// One table of the model, read where it lies: `table.keySchema` reads that field of the table, not a copy of the
/// whole table. A computed property or method of `Table` reached through the member lookup would copy the table to
/// run, so the ones the rules use are answered here from the fields.
@dynamicMemberLookup
public struct TableRef {
    private let tables: [Table]
    private let index: Int

    init(_ tables: [Table], _ index: Int) {
        self.tables = tables
        self.index = index
    }

    public subscript<Value>(dynamicMember keyPath: KeyPath<Table, Value>) -> Value {
        tables[index][keyPath: keyPath]
    }

    public var hashKey: KeyElement? { tables[index].keySchema.hashKey }
    public var rangeKey: KeyElement? { tables[index].keySchema.rangeKey }

    public func isKeyAttribute(_ name: String) -> Bool {
        Table.isKeyAttribute(
            name, key: tables[index].keySchema, global: tables[index].globalSecondaryIndexes,
            local: tables[index].localSecondaryIndexes)
    }

    public func attributeDefinition(named name: String) -> AttributeDefinition? {
        tables[index].attributeDefinitions.named(name)
    }

    public func forEachSecondaryIndex(_ body: (SecondaryIndex) throws -> Void) rethrows {
        try Table.forEachSecondaryIndex(
            global: tables[index].globalSecondaryIndexes, local: tables[index].localSecondaryIndexes, body)
    }

    public func forEachKeyElement(_ body: (KeyElement) throws -> Void) rethrows {
        try Table.forEachKeyElement(
            key: tables[index].keySchema, global: tables[index].globalSecondaryIndexes,
            local: tables[index].localSecondaryIndexes, body)
    }
}
