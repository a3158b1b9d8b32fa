import ArgumentParser
import Report

/// `ddbstack show TEMPLATE`: the resolved typed model.
struct ShowCommand: ParsableCommand, ReportsFailures {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Print the resolved model of every table.")

    @OptionGroup var input: TemplateOptions
    @OptionGroup var output: OutputOptions

    func validate() throws {
        try output.require([.text, .json], for: "show")
    }

    func run() throws {
        let (context, _) = try input.load()
        switch output.format {
        case .json: try output.emit(ModelRenderer.json(context.model, file: input.template))
        default: try output.emit(ModelRenderer.text(context.model, file: input.template))
        }
    }
}
