package io.parley.bench;

/** {@code ./parley bench <name>}: runs one benchmark, prints its JSON and saves it under bench/results/. */
public final class Bench {

    private Bench() {
    }

    public static void main(String[] args) throws Exception {
        String name = args.length > 0 ? args[0] : "";
        Object result = switch (name) {
            case "e2e" -> EndToEndBench.run(args.length > 1 ? args[1] : "whisper");
            case "asr" -> AsrBench.run();
            case "sphinx" -> SphinxTuningBench.run();
            case "kernels" -> KernelBench.run();
            case "mt" -> args.length > 1 && args[1].equals("routes") ? MtBench.routesOnly() : MtBench.run();
            case "load" -> LoadBench.run(args);
            case "cluster" -> ClusterBench.run(args);
            case "live" -> LiveBench.run(args);
            default -> {
                System.err.println("usage: parley bench e2e [whisper|sphinx]|asr|sphinx|kernels|mt [routes]|load [--speakers 1,2,4]"
                        + " [--viewers 10] [--seconds 60] [--minutes N] [--asr whisper|sphinx]"
                        + "|cluster [--workers 3] [--max-speakers 6] [--seconds 30] [--asr whisper|sphinx]"
                        + "|live [--speakers 1,2,4,8] [--viewers 10] [--rounds 1] [--policy local-agreement,align-att]");
                System.exit(2);
                yield null;
            }
        };
        String saveAs = name.equals("e2e") && args.length > 1 && args[1].equals("sphinx") ? "e2e-sphinx"
                : name.equals("mt") && args.length > 1 && args[1].equals("routes") ? "mt-routes"
                : name.equals("load") && java.util.Arrays.asList(args).contains("--minutes") ? "load-soak" : name;
        BenchOutput.save(saveAs, result);
        System.exit(0);
    }
}
