//! Teams at the command line: `merge` (three policies) and `split` on real files, and the
//! git merge driver run by real git in a temporary repository (`git-setup`, two branches,
//! `git merge`, then the file); relations through each of them.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use spanmark::model::suggest::{RuleKind, RuleSet, SuggestSettings};
use spanmark::model::{
    Disagreement, Document, LabelId, Project, Relation, RelationTypeId, Span, default_labels,
};

fn spanmark(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_spanmark"))
        .args(args)
        .output()
        .expect("spanmark runs")
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

// Default labels: 0 PERSON, 1 PLACE, 2 ORG, 3 DATE, 4 QUOTE.
const TEXT: &str = "Ashraf Ghani met Amrullah Saleh in Kabul on Monday.";

fn sp(s: usize, e: usize, l: u32) -> Span {
    Span::new(s, e, LabelId(l)).unwrap()
}

fn write(path: &Path, docs: Vec<(&str, Vec<Span>)>) {
    let docs = docs
        .into_iter()
        .map(|(n, spans)| Document::with_spans(n, TEXT, spans).unwrap())
        .collect();
    let p = Project::new(default_labels(), docs).unwrap();
    spanmark::io::save_project_plain(&p, path).unwrap();
}

fn load(path: &Path) -> Project {
    spanmark::io::load_project(path).unwrap()
}

fn spans(p: &Project, doc: usize) -> Vec<Span> {
    p.documents()[doc].spans().as_slice().to_vec()
}

// --- merge and split ---

#[test]
fn merge_with_each_policy() {
    let dir = tempfile::tempdir().unwrap();
    let f = |n: &str| dir.path().join(n);
    write(
        &f("alice.ron"),
        vec![("d", vec![sp(0, 12, 0), sp(17, 30, 0), sp(34, 39, 1)])],
    );
    write(
        &f("bob.ron"),
        vec![("d", vec![sp(0, 12, 0), sp(17, 30, 0), sp(43, 49, 3)])],
    );
    write(
        &f("carol.ron"),
        vec![("d", vec![sp(0, 12, 0), sp(17, 25, 0), sp(43, 49, 3)])],
    );
    let run = |policy: &str| {
        let out = f(&format!("{policy}.ron"));
        let o = spanmark(&[
            "merge",
            f("alice.ron").to_str().unwrap(),
            f("bob.ron").to_str().unwrap(),
            f("carol.ron").to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "--policy",
            policy,
        ]);
        assert!(o.status.success(), "{}", text(&o.stderr));
        (load(&out), text(&o.stderr))
    };
    let (agreed, said) = run("agreed");
    assert_eq!(spans(&agreed, 0), vec![sp(0, 12, 0)]);
    assert!(
        said.contains("1 document, 1 span, 3 disagreements"),
        "{said}"
    );
    let d = agreed.documents()[0].disagreements();
    assert_eq!((d[0].start, d[0].end), (17, 30));
    assert_eq!(d[0].version("carol"), Some(&[sp(17, 25, 0)][..]));
    assert_eq!(d[1].version("alice"), Some(&[sp(34, 39, 1)][..]));
    assert_eq!(d[2].version("alice"), Some(&[][..]));
    let (union, _) = run("union");
    assert_eq!(
        spans(&union, 0),
        vec![
            sp(0, 12, 0),
            sp(17, 30, 0),
            sp(17, 25, 0),
            sp(34, 39, 1),
            sp(43, 49, 3)
        ]
    );
    let (majority, _) = run("majority");
    assert_eq!(
        spans(&majority, 0),
        vec![sp(0, 12, 0), sp(17, 30, 0), sp(43, 49, 3)]
    );
    // A document whose text differs is named.
    let other = Project::new(default_labels(), vec![Document::new("d", "other text")]).unwrap();
    spanmark::io::save_project_plain(&other, &f("dave.ron")).unwrap();
    let o = spanmark(&[
        "merge",
        f("alice.ron").to_str().unwrap(),
        f("dave.ron").to_str().unwrap(),
        "-o",
        f("x.ron").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(text(&o.stderr).contains("document \"d\": the text differs between alice and dave"));
    assert!(!f("x.ron").exists());
}

#[test]
fn split_then_merge_back() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("all.ron");
    let names = ["d0", "d1", "d2", "d3", "d4", "d5", "d6", "d7", "d8", "d9"];
    write(
        &project,
        names.iter().map(|n| (*n, vec![sp(0, 6, 0)])).collect(),
    );
    let out = dir.path().join("team");
    let o = spanmark(&[
        "split",
        project.to_str().unwrap(),
        "--annotators",
        "3",
        "--overlap",
        "20",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let said = text(&o.stdout);
    assert!(
        said.contains("shared by every annotator (2 of 10 documents):\n  d0\n  d5\n"),
        "{said}"
    );
    let docs = |i: usize| -> Vec<String> {
        load(&out.join(format!("annotator-{i}.ron")))
            .documents()
            .iter()
            .map(|d| d.name.clone())
            .collect()
    };
    assert_eq!(docs(1), ["d0", "d1", "d4", "d5", "d8"]);
    assert_eq!(docs(2), ["d0", "d2", "d5", "d6", "d9"]);
    assert_eq!(docs(3), ["d0", "d3", "d5", "d7"]);
    assert!(!out.join("annotator-4.ron").exists());
    // Merged back, every document is there with its spans.
    let gold = dir.path().join("gold.ron");
    let o = spanmark(&[
        "merge",
        out.join("annotator-1.ron").to_str().unwrap(),
        out.join("annotator-2.ron").to_str().unwrap(),
        out.join("annotator-3.ron").to_str().unwrap(),
        "-o",
        gold.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let g = load(&gold);
    // In the original order: the merge used to list annotator 1's documents first.
    let merged: Vec<&str> = g.documents().iter().map(|d| d.name.as_str()).collect();
    assert_eq!(merged, names);
    assert!(
        !std::fs::read_to_string(&gold)
            .unwrap()
            .contains("split_index")
    );
    assert!(
        g.documents()
            .iter()
            .all(|d| d.spans().len() == 1 && d.disagreements().is_empty())
    );
    // Split again over the annotators' files (one worked on meanwhile): what was there
    // is kept as .bak, never lost.
    let worked = std::fs::read(out.join("annotator-1.ron")).unwrap();
    let o = spanmark(&[
        "split",
        project.to_str().unwrap(),
        "--annotators",
        "2",
        "-o",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    assert_eq!(
        std::fs::read(out.join("annotator-1.ron.bak")).unwrap(),
        worked
    );
    // Bad arguments are refused.
    for bad in [["--annotators", "0"], ["--overlap", "150"]] {
        let mut args = vec![
            "split",
            project.to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
        ];
        if bad[0] == "--overlap" {
            args.extend(["--annotators", "2"]);
        }
        args.extend(bad);
        let o = spanmark(&args);
        assert!(!o.status.success(), "{bad:?}");
    }
}

// --- git ---

/// git in `dir`, with a fixed identity and no user or system config.
fn git(dir: &Path, args: &[&str]) -> Output {
    Command::new("git")
        .arg("-C")
        .arg(dir)
        .args(["-c", "user.name=Test", "-c", "user.email=test@example.com"])
        .args([
            "-c",
            "init.defaultBranch=main",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("GIT_CONFIG_GLOBAL", "/dev/null")
        .output()
        .expect("git runs")
}

fn ok(o: Output) -> String {
    assert!(
        o.status.success(),
        "{}\n{}",
        text(&o.stdout),
        text(&o.stderr)
    );
    text(&o.stdout)
}

/// A repository with spanmark set up and `p.ron` committed on main; `None` (and a
/// message) without git.
fn repo(base: Vec<Span>) -> Option<(tempfile::TempDir, PathBuf)> {
    repo_with(|f| write(f, vec![("d", base), ("e", vec![sp(0, 6, 0)])]))
}

/// A repository as [`repo`] makes it, `p.ron` written by `write_base`.
fn repo_with(write_base: impl FnOnce(&Path)) -> Option<(tempfile::TempDir, PathBuf)> {
    if Command::new("git").arg("--version").output().is_err() {
        eprintln!("git is not installed: skipping the git merge driver test");
        return None;
    }
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().to_path_buf();
    ok(git(&root, &["init", "-q"]));
    let o = spanmark(&["git-setup", root.to_str().unwrap()]);
    let said = ok(o);
    assert!(said.contains("added *.ron merge=spanmark"), "{said}");
    // Again: nothing added twice.
    let said = ok(spanmark(&["git-setup", root.to_str().unwrap()]));
    assert!(said.contains("already has"), "{said}");
    assert_eq!(
        std::fs::read_to_string(root.join(".gitattributes")).unwrap(),
        "*.ron merge=spanmark\n"
    );
    let driver = ok(git(&root, &["config", "merge.spanmark.driver"]));
    assert!(
        driver.trim_end().ends_with(" merge-driver %O %A %B %P"),
        "{driver}"
    );
    write_base(&root.join("p.ron"));
    ok(git(&root, &["add", "."]));
    ok(git(&root, &["commit", "-q", "-m", "base"]));
    Some((dir, root))
}

/// Commits `spans` for document "d" on a new branch from main.
fn branch(root: &Path, name: &str, d: Vec<Span>) {
    ok(git(root, &["checkout", "-q", "-b", name, "main"]));
    write(
        &root.join("p.ron"),
        vec![("d", d), ("e", vec![sp(0, 6, 0)])],
    );
    ok(git(root, &["commit", "-q", "-am", name]));
}

#[test]
fn git_merges_changes_to_different_spans() {
    let base = vec![sp(0, 12, 0), sp(17, 30, 0), sp(34, 39, 1)];
    let Some((_dir, root)) = repo(base) else {
        return;
    };
    // Neighbouring lines change on each side: a line-based merge would conflict.
    branch(
        &root,
        "a",
        vec![sp(0, 12, 2), sp(17, 30, 0), sp(34, 39, 1), sp(43, 49, 3)],
    );
    branch(&root, "b", vec![sp(0, 12, 0), sp(17, 25, 0), sp(34, 39, 1)]);
    // Git's own line merge of these versions conflicts; spanmark's driver does not.
    let show = |rev: &str, name: &str| {
        let bytes = git(&root, &["show", &format!("{rev}:p.ron")]).stdout;
        let path = root.join(name);
        std::fs::write(&path, bytes).unwrap();
        path.to_str().unwrap().to_string()
    };
    let (a, o, b) = (show("a", "x-a"), show("main", "x-o"), show("b", "x-b"));
    let line_merge = git(&root, &["merge-file", "-p", &a, &o, &b]);
    assert_eq!(
        line_merge.status.code(),
        Some(1),
        "git's line merge conflicts"
    );
    for f in [a, o, b] {
        std::fs::remove_file(f).unwrap();
    }
    ok(git(&root, &["checkout", "-q", "a"]));
    ok(git(&root, &["merge", "-q", "--no-edit", "b"]));
    let p = load(&root.join("p.ron"));
    assert_eq!(
        spans(&p, 0),
        vec![sp(0, 12, 2), sp(17, 25, 0), sp(34, 39, 1), sp(43, 49, 3)]
    );
    assert!(p.documents()[0].disagreements().is_empty());
    assert_eq!(spans(&p, 1), vec![sp(0, 6, 0)]);
    assert_eq!(ok(git(&root, &["status", "--porcelain"])), "");
}

#[test]
fn git_keeps_a_conflict_as_a_disagreement() {
    let Some((_dir, root)) = repo(vec![sp(0, 12, 0), sp(34, 39, 1)]) else {
        return;
    };
    branch(&root, "a", vec![sp(0, 12, 2), sp(34, 39, 1)]);
    branch(&root, "b", vec![sp(0, 12, 1), sp(34, 39, 1), sp(43, 49, 3)]);
    ok(git(&root, &["checkout", "-q", "a"]));
    let o = git(&root, &["merge", "--no-edit", "b"]);
    assert!(!o.status.success());
    let said = text(&o.stdout) + &text(&o.stderr);
    assert!(
        said.contains("CONFLICT") && said.contains("p.ron"),
        "{said}"
    );
    assert!(said.contains("1 conflicting span change"), "{said}");
    // The file is a project spanmark opens, with both versions to adjudicate.
    let file = root.join("p.ron");
    let v = spanmark(&["validate", file.to_str().unwrap()]);
    assert!(v.status.success(), "{}", text(&v.stderr));
    let p = load(&file);
    assert_eq!(spans(&p, 0), vec![sp(34, 39, 1), sp(43, 49, 3)]);
    let d = p.documents()[0].disagreements();
    assert_eq!(d.len(), 1);
    assert_eq!((d[0].start, d[0].end), (0, 12));
    assert_eq!(d[0].version("ours"), Some(&[sp(0, 12, 2)][..]));
    assert_eq!(d[0].version("theirs"), Some(&[sp(0, 12, 1)][..]));
}

/// Commits, on a new branch from main, document "d" with `spans` and `rejected` and the
/// project's suggestion settings.
fn branch_rejecting(
    root: &Path,
    name: &str,
    spans: Vec<Span>,
    rejected: Vec<Span>,
    settings: SuggestSettings,
) {
    ok(git(root, &["checkout", "-q", "-b", name, "main"]));
    let d = Document::with_spans("d", TEXT, spans)
        .unwrap()
        .with_rejected(rejected)
        .unwrap();
    let e = Document::with_spans("e", TEXT, vec![sp(0, 6, 0)]).unwrap();
    let p = Project::new(default_labels(), vec![d, e])
        .unwrap()
        .with_suggest_settings(settings);
    spanmark::io::save_project_plain(&p, &root.join("p.ron")).unwrap();
    ok(git(root, &["commit", "-q", "-am", name]));
}

#[test]
fn git_keeps_both_sides_rejections_and_settings() {
    let base = vec![sp(0, 12, 0)];
    let Some((_dir, root)) = repo(base.clone()) else {
        return;
    };
    // a rejects "Kabul" as PERSON; b rejects "Monday" as PLACE and adds a dictionary.
    let dict = RuleSet {
        name: "places.txt".into(),
        kind: RuleKind::Dictionary,
        enabled: true,
        source: "Kabul\tPLACE\n".into(),
        default_label: None,
    };
    let with_dict = SuggestSettings {
        rule_sets: vec![dict],
        ..SuggestSettings::default()
    };
    branch_rejecting(
        &root,
        "a",
        base.clone(),
        vec![sp(34, 39, 0)],
        SuggestSettings::default(),
    );
    branch_rejecting(&root, "b", base, vec![sp(43, 49, 1)], with_dict.clone());
    ok(git(&root, &["checkout", "-q", "a"]));
    ok(git(&root, &["merge", "-q", "--no-edit", "b"]));
    let p = load(&root.join("p.ron"));
    let rejected: Vec<Span> = p.documents()[0].rejected().iter().copied().collect();
    assert_eq!(rejected, vec![sp(34, 39, 0), sp(43, 49, 1)]);
    assert_eq!(p.suggest_settings(), &with_dict);
    assert_eq!(spans(&p, 0), vec![sp(0, 12, 0)]);
    assert_eq!(ok(git(&root, &["status", "--porcelain"])), "");
}

#[test]
fn the_driver_alone_exit_codes() {
    let dir = tempfile::tempdir().unwrap();
    let f = |n: &str| dir.path().join(n);
    write(&f("o.ron"), vec![("d", vec![sp(0, 12, 0)])]);
    write(&f("a.ron"), vec![("d", vec![sp(0, 12, 2)])]);
    write(&f("b.ron"), vec![("d", vec![sp(0, 12, 1)])]);
    let run = |o: &str, a: &str, b: &str| {
        spanmark(&[
            "merge-driver",
            f(o).to_str().unwrap(),
            f(a).to_str().unwrap(),
            f(b).to_str().unwrap(),
        ])
    };
    // A file that does not parse: exit 2 naming it, %A untouched.
    std::fs::write(f("bad.ron"), "(version: 1, labels: [").unwrap();
    let before = std::fs::read(f("a.ron")).unwrap();
    let o = run("o.ron", "a.ron", "bad.ron");
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("bad.ron"), "{}", text(&o.stderr));
    assert_eq!(std::fs::read(f("a.ron")).unwrap(), before);
    // Clean: exit 0.
    write(&f("c.ron"), vec![("d", vec![sp(0, 12, 0), sp(43, 49, 3)])]);
    let o = run("o.ron", "c.ron", "b.ron");
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert_eq!(
        spans(&load(&f("c.ron")), 0),
        vec![sp(0, 12, 1), sp(43, 49, 3)]
    );
    // Conflict: exit 1, the result in %A.
    let o = run("o.ron", "a.ron", "b.ron");
    assert_eq!(o.status.code(), Some(1), "{}", text(&o.stderr));
    assert_eq!(load(&f("a.ron")).documents()[0].disagreements().len(), 1);
    // A side saved with a UTF-8 BOM (some editors add one) merges like any other, and
    // `validate` accepts it.
    let mut bom = "\u{feff}".as_bytes().to_vec();
    bom.extend(std::fs::read(f("b.ron")).unwrap());
    std::fs::write(f("bom.ron"), &bom).unwrap();
    write(&f("e.ron"), vec![("d", vec![sp(0, 12, 0), sp(43, 49, 3)])]);
    let o = run("o.ron", "e.ron", "bom.ron");
    assert_eq!(o.status.code(), Some(0), "{}", text(&o.stderr));
    assert_eq!(
        spans(&load(&f("e.ron")), 0),
        vec![sp(0, 12, 1), sp(43, 49, 3)]
    );
    let o = spanmark(&["validate", f("bom.ron").to_str().unwrap()]);
    assert!(o.status.success(), "{}", text(&o.stderr));
}

/// `p.ron` on a new branch from main: "d" with `spans` and these disagreements, "e" as
/// in the base.
fn branch_gold(root: &Path, name: &str, spans: Vec<Span>, open: Vec<Disagreement>) {
    ok(git(root, &["checkout", "-q", "-b", name, "main"]));
    write_gold(root, spans, open);
    ok(git(root, &["commit", "-q", "-am", name]));
}

fn write_gold(root: &Path, spans: Vec<Span>, open: Vec<Disagreement>) {
    let d = Document::with_spans("d", TEXT, spans)
        .unwrap()
        .with_disagreements(open)
        .unwrap();
    let e = Document::with_spans("e", TEXT, vec![sp(0, 6, 0)]).unwrap();
    let p = Project::new(default_labels(), vec![d, e]).unwrap();
    spanmark::io::save_project_plain(&p, &root.join("p.ron")).unwrap();
}

/// Issue 17: a gold project with two disagreements; branch a resolves the first, b the
/// second. The merge used to reopen both beside both resolutions, with no conflict.
#[test]
fn git_merges_two_resolutions_to_none_open() {
    let Some((_dir, root)) = repo(vec![]) else {
        return;
    };
    let first = Disagreement::covering(vec![
        ("alice".into(), vec![sp(0, 12, 0)]),
        ("bob".into(), vec![sp(0, 6, 1)]),
    ])
    .unwrap();
    let second = Disagreement::covering(vec![
        ("alice".into(), vec![sp(34, 39, 1)]),
        ("bob".into(), vec![]),
    ])
    .unwrap();
    // The gold file on main, as `merge` or the window writes it.
    write_gold(&root, vec![], vec![first.clone(), second.clone()]);
    ok(git(&root, &["commit", "-q", "-am", "gold"]));
    branch_gold(&root, "a", vec![sp(0, 12, 0)], vec![second]);
    branch_gold(&root, "b", vec![sp(34, 39, 1)], vec![first]);
    ok(git(&root, &["checkout", "-q", "a"]));
    let o = git(&root, &["merge", "--no-edit", "b"]);
    assert!(o.status.success(), "{}{}", text(&o.stdout), text(&o.stderr));
    let p = load(&root.join("p.ron"));
    assert!(p.documents()[0].disagreements().is_empty(), "{p:?}");
    assert_eq!(spans(&p, 0), vec![sp(0, 12, 0), sp(34, 39, 1)]);
    assert_eq!(ok(git(&root, &["status", "--porcelain"])), "");
}

/// Both branches add the same new project file: git hands the driver an empty base,
/// which merges as an empty project (it used to exit 2 and leave an add/add conflict).
#[test]
fn git_merges_a_project_both_branches_added() {
    let Some((_dir, root)) = repo(vec![]) else {
        return;
    };
    let add = |name: &str, spans: Vec<Span>| {
        ok(git(&root, &["checkout", "-q", "-b", name, "main"]));
        let d = Document::with_spans("d", TEXT, spans).unwrap();
        let p = Project::new(default_labels(), vec![d]).unwrap();
        spanmark::io::save_project_plain(&p, &root.join("new.ron")).unwrap();
        ok(git(&root, &["add", "new.ron"]));
        ok(git(&root, &["commit", "-q", "-m", name]));
    };
    add("a", vec![sp(0, 12, 0)]);
    add("b", vec![sp(0, 12, 0), sp(34, 39, 1)]);
    ok(git(&root, &["checkout", "-q", "a"]));
    let o = git(&root, &["merge", "--no-edit", "b"]);
    assert!(o.status.success(), "{}{}", text(&o.stdout), text(&o.stderr));
    let p = load(&root.join("new.ron"));
    assert_eq!(spans(&p, 0), vec![sp(0, 12, 0), sp(34, 39, 1)]);
    assert_eq!(ok(git(&root, &["status", "--porcelain"])), "");
    // Added both ways with different labels on one range: a conflict to adjudicate,
    // named by the file's path in the repository, not git's temporary copy.
    add("c", vec![sp(0, 12, 2)]);
    add("d", vec![sp(0, 12, 1)]);
    ok(git(&root, &["checkout", "-q", "c"]));
    let o = git(&root, &["merge", "--no-edit", "d"]);
    assert!(!o.status.success());
    let said = text(&o.stdout) + &text(&o.stderr);
    assert!(
        said.contains("merge-driver: new.ron: 1 conflicting span change"),
        "{said}"
    );
    assert!(!said.contains(".merge_file"), "{said}");
    let p = load(&root.join("new.ron"));
    assert_eq!(p.documents()[0].disagreements().len(), 1);
}

/// After `git-setup`, every *.ron goes through the driver; one that is not a spanmark
/// project merges as git's own text merge would: edits in two places merge cleanly,
/// edits to one line conflict with markers.
#[test]
fn git_merges_other_ron_files_as_text() {
    let Some((_dir, root)) = repo(vec![]) else {
        return;
    };
    let lines: Vec<String> = (0..12).map(|i| format!("    key{i}: {i},")).collect();
    let config = |lines: &[String]| format!("(\n{}\n)\n", lines.join("\n"));
    std::fs::write(root.join("settings.ron"), config(&lines)).unwrap();
    ok(git(&root, &["add", "settings.ron"]));
    ok(git(&root, &["commit", "-q", "-m", "settings"]));
    let edit = |name: &str, at: usize, value: &str| {
        ok(git(&root, &["checkout", "-q", "-b", name, "main"]));
        let mut l = lines.clone();
        l[at] = format!("    key{at}: {value},");
        std::fs::write(root.join("settings.ron"), config(&l)).unwrap();
        ok(git(&root, &["commit", "-q", "-am", name]));
    };
    edit("a", 1, "100");
    edit("b", 10, "200");
    ok(git(&root, &["checkout", "-q", "a"]));
    let o = git(&root, &["merge", "--no-edit", "b"]);
    assert!(o.status.success(), "{}{}", text(&o.stdout), text(&o.stderr));
    let mut want = lines.clone();
    want[1] = "    key1: 100,".into();
    want[10] = "    key10: 200,".into();
    assert_eq!(
        std::fs::read_to_string(root.join("settings.ron")).unwrap(),
        config(&want)
    );
    // The same line both ways: git's conflict markers, naming the real path.
    edit("c", 5, "1");
    edit("d", 5, "2");
    ok(git(&root, &["checkout", "-q", "c"]));
    let o = git(&root, &["merge", "--no-edit", "d"]);
    assert!(!o.status.success());
    let merged = std::fs::read_to_string(root.join("settings.ron")).unwrap();
    assert!(merged.contains("<<<<<<< settings.ron (ours)"), "{merged}");
    assert!(merged.contains(">>>>>>> settings.ron (theirs)"), "{merged}");
    assert!(
        merged.contains("key5: 1,") && merged.contains("key5: 2,"),
        "{merged}"
    );
}

// --- relations ---

/// Two quotes and two speakers: "“We will not stop,” Ghani said. “Calm,” said Saleh."
const SAID: &str = "“We will not stop,” Ghani said. “Calm,” said Saleh.";

fn quotes() -> [Span; 2] {
    [sp(0, 19, 4), sp(32, 39, 4)]
}

fn speakers() -> [Span; 2] {
    [sp(20, 25, 0), sp(45, 50, 0)]
}

/// Quote `q` said by speaker `p` (SPEAKER, the default type: QUOTE to PERSON or ORG).
fn said(q: usize, p: usize) -> Relation {
    Relation::new(quotes()[q], speakers()[p], RelationTypeId(0)).unwrap()
}

/// Writes a project of one document "d" of SAID with these spans and links.
fn write_linked(path: &Path, spans: Vec<Span>, links: Vec<Relation>) {
    let d = Document::with_spans("d", SAID, spans)
        .unwrap()
        .with_relations(links)
        .unwrap();
    let p = Project::new(default_labels(), vec![d]).unwrap();
    spanmark::io::save_project_plain(&p, path).unwrap();
}

fn all_spans() -> Vec<Span> {
    [quotes(), speakers()].concat()
}

fn links(p: &Project) -> Vec<Relation> {
    p.documents()[0].relations().iter().copied().collect()
}

#[test]
fn merge_and_split_carry_relations() {
    let dir = tempfile::tempdir().unwrap();
    let f = |n: &str| dir.path().join(n);
    // Both say Ghani said the first quote; alice says Saleh said the second, bob Ghani.
    write_linked(&f("alice.ron"), all_spans(), vec![said(0, 0), said(1, 1)]);
    write_linked(&f("bob.ron"), all_spans(), vec![said(0, 0), said(1, 0)]);
    let run = |policy: &str| {
        let out = f(&format!("{policy}.ron"));
        let o = spanmark(&[
            "merge",
            f("alice.ron").to_str().unwrap(),
            f("bob.ron").to_str().unwrap(),
            "-o",
            out.to_str().unwrap(),
            "--policy",
            policy,
        ]);
        assert!(o.status.success(), "{}", text(&o.stderr));
        (load(&out), text(&o.stderr))
    };
    let (agreed, told) = run("agreed");
    assert_eq!(links(&agreed), vec![said(0, 0)]);
    assert!(
        told.contains(
            "4 spans, 1 disagreement to adjudicate; 1 relation (2 more in the disagreements' versions)"
        ),
        "{told}"
    );
    // The second quote's link differs: one disagreement over it, each version's link.
    let d = &agreed.documents()[0].disagreements()[0];
    assert_eq!((d.start, d.end), (32, 39));
    assert_eq!(d.relations_of(0), &[said(1, 1)]);
    assert_eq!(d.relations_of(1), &[said(1, 0)]);
    let (union, _) = run("union");
    assert_eq!(links(&union), vec![said(0, 0), said(1, 0), said(1, 1)]);
    // Of two annotators, majority needs both: the other two are listed as left out.
    let (majority, told) = run("majority");
    assert_eq!(links(&majority), vec![said(0, 0)]);
    assert!(told.contains("2 relations left out"), "{told}");
    assert!(
        told.contains("document \"d\": SPEAKER 32..39 QUOTE -> 45..50 PERSON (alice)"),
        "{told}"
    );
    // Split: each annotator's file keeps its documents' links; merging gives them back.
    let o = spanmark(&[
        "split",
        f("alice.ron").to_str().unwrap(),
        "--annotators",
        "2",
        "--overlap",
        "100",
        "-o",
        f("team").to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let part = load(&f("team/annotator-2.ron"));
    assert_eq!(links(&part), vec![said(0, 0), said(1, 1)]);
}

/// Commits, on a new branch from main, document "d" of SAID with these spans and links.
fn branch_linked(root: &Path, name: &str, spans: Vec<Span>, links: Vec<Relation>) {
    ok(git(root, &["checkout", "-q", "-b", name, "main"]));
    write_linked(&root.join("p.ron"), spans, links);
    ok(git(root, &["commit", "-q", "-am", name]));
}

#[test]
fn git_keeps_links_added_on_each_branch_and_drops_one_removed() {
    let Some((_dir, root)) = repo_with(|f| write_linked(f, all_spans(), vec![said(0, 0)])) else {
        return;
    };
    // a adds Saleh for the second quote; b drops the first link and adds Ghani for the
    // second.
    branch_linked(&root, "a", all_spans(), vec![said(0, 0), said(1, 1)]);
    branch_linked(&root, "b", all_spans(), vec![said(1, 0)]);
    ok(git(&root, &["checkout", "-q", "a"]));
    ok(git(&root, &["merge", "-q", "--no-edit", "b"]));
    let p = load(&root.join("p.ron"));
    assert_eq!(links(&p), vec![said(1, 0), said(1, 1)]);
    assert!(p.documents()[0].disagreements().is_empty());
    assert_eq!(ok(git(&root, &["status", "--porcelain"])), "");
}

#[test]
fn git_a_link_to_a_span_deleted_on_the_other_branch_is_a_conflict() {
    let Some((_dir, root)) = repo_with(|f| write_linked(f, all_spans(), vec![])) else {
        return;
    };
    // a links the first quote to Ghani; b deletes Ghani.
    branch_linked(&root, "a", all_spans(), vec![said(0, 0)]);
    let without_ghani: Vec<Span> = all_spans()
        .into_iter()
        .filter(|s| *s != speakers()[0])
        .collect();
    branch_linked(&root, "b", without_ghani, vec![]);
    ok(git(&root, &["checkout", "-q", "a"]));
    let o = git(&root, &["merge", "--no-edit", "b"]);
    assert!(!o.status.success());
    let told = text(&o.stdout) + &text(&o.stderr);
    assert!(
        told.contains("CONFLICT") && told.contains("1 conflicting span change"),
        "{told}"
    );
    assert!(
        told.contains("ours linked 0..19 QUOTE to 20..25 PERSON (SPEAKER), but theirs"),
        "{told}"
    );
    // Nothing is lost: the file holds Ghani and the link in ours' version.
    let file = root.join("p.ron");
    let v = spanmark(&["validate", file.to_str().unwrap()]);
    assert!(v.status.success(), "{}", text(&v.stderr));
    let p = load(&file);
    assert!(links(&p).is_empty());
    let d = &p.documents()[0].disagreements()[0];
    assert_eq!((d.start, d.end), (20, 25));
    assert_eq!(d.version("ours"), Some(&[speakers()[0]][..]));
    assert_eq!(d.relations_of(0), &[said(0, 0)]);
    assert_eq!(d.version("theirs"), Some(&[][..]));
}
