import Fuzzing

// Built two ways. With `-D FUZZING -sanitize=fuzzer,address` (scripts/fuzz.sh) it hands the process to libFuzzer,
// which calls `fuzzOneInput` for every input it makes: https://llvm.org/docs/LibFuzzer.html#fuzz-target
// Otherwise it replays the files it is given through the same harness, which reproduces a saved crash without the
// sanitizers.
#if FUZZING
    import CFuzzer

    @_cdecl("LLVMFuzzerTestOneInput")
    public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
        FuzzHarness.exercise(size == 0 ? [] : Array(UnsafeBufferPointer(start: data, count: size)))
        return 0
    }

    /// SwiftPM links an executable's `main` to `<module>_main`; this one is libFuzzer's.
    @_cdecl("ddbstack_fuzz_main")
    public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
        var argc = argc
        var argv = argv
        return LLVMFuzzerRunDriver(&argc, &argv) { data, size in fuzzOneInput(data, size) }
    }
#else
    import Foundation

    @main
    struct Replay {
        static func main() throws {
            for path in CommandLine.arguments.dropFirst() {
                FuzzHarness.exercise(Array(try Data(contentsOf: URL(fileURLWithPath: path))))
                print("ok \(path)")
            }
        }
    }
#endif
