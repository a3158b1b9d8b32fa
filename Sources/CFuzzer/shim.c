// Only the header matters: libFuzzer defines the function when scripts/fuzz.sh links it in.
