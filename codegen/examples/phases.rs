//! Times the generator's phases on one model: `cargo run --release -p codegen --example phases -- MODEL`.

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: phases MODEL.json");
        std::process::exit(2);
    };
    let text = std::fs::read_to_string(&path).unwrap_or_default();
    for _ in 0..3 {
        let t = std::time::Instant::now();
        let Ok((svc, _)) = codegen::build_ir(&codegen::ModelFiles::new(&text)) else {
            eprintln!("{path}: not a usable model");
            std::process::exit(1);
        };
        let ir = t.elapsed();
        let t = std::time::Instant::now();
        let files = codegen::emit::crates(&svc, &codegen::Settings::default());
        let emit = t.elapsed();
        let t = std::time::Instant::now();
        for (_, f) in files {
            let _ = codegen::render::render(f);
        }
        println!(
            "ir {ir:?}, emit {emit:?}, render (syn parse + prettyplease) {:?}",
            t.elapsed()
        );
    }
}
