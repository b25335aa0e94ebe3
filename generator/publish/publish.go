// Package publish is the only code that writes the output folder. A build
// streams its files into a new folder beside the output (Create, then Put
// from the workers that render the pages, as each page is ready), and
// Commit swaps it with the output folder once it is complete; Abort throws
// it away. A build that fails anywhere leaves the output folder untouched,
// and a large site is never held whole in memory. Write does the same for
// files already in memory. Minify, MinifyFile and MinifyLayout shrink what
// is written, with settings that never change what a page means (each one
// is explained in minify.go).
//
// # Replacing the folder
//
// Write never writes into the live output folder. It builds the new tree in
// a sibling folder, <dir>.tmp-<16 hex digits>, in the same parent (so that
// renaming it is atomic: same filesystem), flushes it to disk, then swaps it
// with the old one:
//
//   - on Linux, with renameat2(RENAME_EXCHANGE), which exchanges the two
//     names in one atomic step: at every instant <dir> is either the whole
//     previous site or the whole new one, never missing;
//   - elsewhere, or on a filesystem without RENAME_EXCHANGE, with two
//     renames: <dir> → <dir>.old-<hex>, then <dir>.tmp-<hex> → <dir>. Between
//     those two system calls (microseconds) <dir> does not exist; a process
//     killed exactly there leaves the previous site whole in <dir>.old-<hex>,
//     and the next Write renames it back before doing anything else.
//
// The old tree is then removed, its marker last (see below). A run killed
// at any moment leaves at most one <dir>.tmp-… or <dir>.old-… folder beside
// the output (two when the fallback is killed between its renames); the
// next Write removes them. Two Writes to folders of the same parent take turns (an
// advisory lock on the parent folder, on Unix), so one never removes the
// other's work in progress.
//
// # What Write refuses to replace
//
// Replacing a folder means deleting what it held, so Write refuses, with a
// message that says why, an output folder that is the filesystem root, the
// user's home folder or one of its parents, the current folder, the site's
// source folder (Options.Source) or a parent of any of them, something that
// is not a folder, and a folder that is not empty and was not written by
// Write. Write recognises its own output by the marker file .cqp-output that
// it puts at the top of every tree it writes (a one-line note telling people
// not to edit the folder by hand). A user's unrelated folder never holds
// that file, so it can never be deleted; an empty folder holds nothing to
// lose. The marker is published with the site, which is harmless: it says
// nothing but the above. Leftover .tmp-/.old- folders are removed only when their name has
// exactly the form Write gives them and they are empty or hold the marker.
// A symbolic link to a folder is followed: the folder it points to is
// replaced and the link stays.
//
// # Files on disk
//
// Files are written as they come, from several goroutines, mode 0644,
// folders 0755 (whatever the umask: a web server must be able to read
// them). Their names, bytes and modes (and times, with SOURCE_DATE_EPOCH)
// are the same for every build of the same input; the order in which they
// were created is not, and some filesystems (tmpfs for one) list a folder
// in that order: archive them with sorted names (tar --sort=name) for
// byte-identical archives. The tree is flushed to disk
// before the swap (one syncfs(2) for the whole tree on Linux, an fsync of
// every file and folder elsewhere), so that a power cut cannot leave a
// swapped-in folder of empty files; on Linux, flushes also run in the
// background while the tree is written, so that the last one has little
// left to wait for. Options.NoSync skips them. When
// Options.ModTime is set (Write takes it from SOURCE_DATE_EPOCH), every file
// and folder gets that modification time, so that archives of two builds
// are identical too.
package publish

import (
	"cmp"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"iter"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Marker is the name of the file that Write puts at the top of every tree
// it writes, and by which it recognises a folder it may replace.
const Marker = ".cqp-output"

// markerText is the marker's content: fixed, so that two builds stay
// byte-identical.
const markerText = "Ce dossier est produit par « cqp build » et remplacé en entier à chaque construction : n'y modifiez rien à la main, modifiez le contenu du site.\n"

const (
	fileMode = 0o644
	dirMode  = 0o755
)

// Options tune Write.
type Options struct {
	// Source is the site's source folder. Write refuses an output folder
	// that is it or one of its parents (cqp build --out .. would otherwise
	// delete the site). The current folder is always protected.
	Source string
	// ModTime, when not zero, is the modification time given to every file
	// and folder written.
	ModTime time.Time
	// NoSync skips flushing the new tree to disk before the swap. A killed
	// build still leaves one whole tree (the page cache outlives any
	// process), but a power cut right after the swap may leave empty files.
	// Flushing costs about a second per 20,000 files on a virtual disk: this
	// is for benchmarks and throwaway outputs.
	NoSync bool

	// noExchange forces the two-rename swap, so tests cover the code path
	// that other systems take.
	noExchange bool
}

// EnvOptions returns the options the environment asks for: ModTime from
// SOURCE_DATE_EPOCH (https://reproducible-builds.org/specs/source-date-epoch/)
// when it is set.
func EnvOptions(getenv func(string) string) (Options, error) {
	v := getenv("SOURCE_DATE_EPOCH")
	if v == "" {
		return Options{}, nil
	}
	secs, err := strconv.ParseInt(v, 10, 64)
	if err != nil || secs < 0 {
		return Options{}, fmt.Errorf("SOURCE_DATE_EPOCH=%q n'est pas un nombre de secondes depuis 1970", v)
	}
	return Options{ModTime: time.Unix(secs, 0).UTC()}, nil
}

// Write replaces the folder dir by a folder holding exactly files (plus the
// marker), with the options of the environment (see EnvOptions). Keys are
// slash-separated paths relative to dir, as fs.ValidPath defines them.
func Write(dir string, files map[string][]byte) error {
	opts, err := EnvOptions(os.Getenv)
	if err != nil {
		return err
	}
	return opts.Write(dir, files)
}

// Write replaces the folder dir by a folder holding exactly files (plus the
// marker). On error, dir is as it was before the call (or, at worst, holds
// the complete new tree when only the removal of the old one failed).
func (o Options) Write(dir string, files map[string][]byte) error {
	paths, err := checkPaths(files)
	if err != nil {
		return err
	}
	t, err := o.Create(dir)
	if err != nil {
		return err
	}
	for _, p := range paths {
		if err := t.Put(p, files[p]); err != nil {
			t.Abort()
			return err
		}
	}
	return t.Commit()
}

// Tree is a new output folder being written: Create starts it, Put adds
// files (from any number of goroutines at once), Commit puts it in the
// place of the output folder, Abort throws it away. Until Commit, the
// output folder is untouched; a process killed at any moment leaves it
// whole, and a leftover folder beside it that the next Create removes.
type Tree struct {
	o                         Options
	target, parent, base, tmp string
	unlock                    func()
	w                         treeWriter
	dirs                      sync.Map // folder path → *dirOnce
	mu                        sync.Mutex
	files                     []string // written, for Options.ModTime
	count, size               atomic.Int64
	closed                    bool
	// Early flushes (maybeFlush): the size flushed or being flushed, and
	// the flush running in the background, if any.
	flushed  atomic.Int64
	flushing atomic.Bool
	flushes  sync.WaitGroup
}

// flushEvery is how many bytes written call for a flush in the background
// (maybeFlush).
const flushEvery = 32 << 20

// dirOnce makes one folder once, whoever asks first.
type dirOnce struct {
	once sync.Once
	err  error
}

// Create starts a tree that will replace the folder dir. It refuses the
// folders Write refuses, takes the lock on dir's parent (held until Commit
// or Abort), removes what killed runs left, and makes the new folder with
// the marker. The caller must end with Commit or Abort.
func (o Options) Create(dir string) (*Tree, error) {
	target, err := resolveTarget(dir)
	if err != nil {
		return nil, err
	}
	if err := o.refuse(dir, target); err != nil {
		return nil, err
	}
	parent, base := filepath.Dir(target), filepath.Base(target)

	unlock, err := lockDir(parent)
	if err != nil {
		return nil, fmt.Errorf("verrouillage de %q : %v", parent, err)
	}
	// Checked again under the lock: another build may have been writing.
	if err := checkReplaceable(dir, target); err != nil {
		unlock()
		return nil, err
	}
	if err := cleanLeftovers(parent, base, target); err != nil {
		unlock()
		return nil, err
	}
	t := &Tree{o: o, target: target, parent: parent, base: base, unlock: unlock,
		tmp: filepath.Join(parent, base+".tmp-"+randomSuffix())}
	if err := t.start(); err != nil {
		removeTree(t.tmp)
		unlock()
		return nil, err
	}
	return t, nil
}

// start makes the new folder and writes the marker.
func (t *Tree) start() error {
	if err := os.Mkdir(t.tmp, 0o777); err != nil {
		return fmt.Errorf("création de %q : %v", t.tmp, err)
	}
	// The umask applies to what we create; learn it from the folder just
	// made, without touching the process-wide umask, and chmod only when it
	// would hide files from the web server.
	st, err := os.Stat(t.tmp)
	if err != nil {
		return err
	}
	umask := 0o777 &^ st.Mode().Perm()
	if err := os.Chmod(t.tmp, dirMode); err != nil {
		return err
	}
	t.w = treeWriter{root: t.tmp, fixFiles: fileMode&^umask != fileMode, fixDirs: dirMode&^umask != dirMode, syncEach: !canSyncFS && !t.o.NoSync}
	_, err = t.w.file(Marker, func(f *os.File) (int64, error) {
		n, err := f.WriteString(markerText)
		return int64(n), err
	})
	return err
}

// Put writes the file at p (a slash-separated path relative to the output
// folder, as fs.ValidPath defines them) into the new tree, making its
// folders. A path written twice, or both a file and a folder, is an
// error. It is safe for concurrent use; b is not kept.
func (t *Tree) Put(p string, b []byte) error {
	return t.put(p, func(f *os.File) (int64, error) {
		n, err := f.Write(b)
		return int64(n), err
	})
}

// PutParts is Put for a file given in parts, written one after the other
// as they come (see render.Sink): the file is never held whole. An error
// from parts is returned as it is; the tree is then to be aborted.
func (t *Tree) PutParts(p string, parts iter.Seq2[[]byte, error]) error {
	var partsErr error
	err := t.put(p, func(f *os.File) (int64, error) {
		var size int64
		for part, err := range parts {
			if err != nil {
				partsErr = err
				return size, err
			}
			n, err := f.Write(part)
			size += int64(n)
			if err != nil {
				return size, err
			}
		}
		return size, nil
	})
	if partsErr != nil {
		return partsErr
	}
	return err
}

// put creates the file at p, its folders first, and fills it with write.
func (t *Tree) put(p string, write func(*os.File) (int64, error)) error {
	if !fs.ValidPath(p) || p == "." || strings.Contains(p, `\`) {
		return fmt.Errorf("chemin de sortie invalide %q : il faut un chemin relatif, avec des /, sans . ni .. (bogue du générateur)", p)
	}
	if p == Marker {
		return fmt.Errorf("chemin de sortie réservé %q : publish y écrit sa marque", p)
	}
	if err := t.dir(path.Dir(p)); err != nil {
		return err
	}
	size, err := t.w.file(p, write)
	if err != nil {
		if errors.Is(err, fs.ErrExist) {
			return fmt.Errorf("chemin de sortie %q écrit deux fois, ou à la fois fichier et dossier (bogue du générateur)", p)
		}
		return err
	}
	if !t.o.ModTime.IsZero() {
		if err := os.Chtimes(filepath.Join(t.tmp, filepath.FromSlash(p)), t.o.ModTime, t.o.ModTime); err != nil {
			return err
		}
	}
	t.count.Add(1)
	t.size.Add(size)
	t.maybeFlush()
	return nil
}

// maybeFlush starts flushing the filesystem in the background (syncfs,
// where the tree is flushed at once) when flushEvery bytes have been
// written since the last flush began and none is running: the disk writes
// while the build computes, and Commit's flush waits only for the last
// files (a 300 MB site left 0.4 s of waiting to it, on this project's
// virtual disk). A flush that fails is not reported: Commit's flush
// reports the error.
func (t *Tree) maybeFlush() {
	if !canSyncFS || t.o.NoSync {
		return
	}
	size := t.size.Load()
	if size-t.flushed.Load() < flushEvery || !t.flushing.CompareAndSwap(false, true) {
		return
	}
	t.flushed.Store(size)
	t.flushes.Go(func() {
		defer t.flushing.Store(false)
		_ = syncFS(t.tmp)
	})
}

// dir makes the folder d of the tree and its missing parents, each once.
func (t *Tree) dir(d string) error {
	if d == "." {
		return nil
	}
	v, _ := t.dirs.LoadOrStore(d, &dirOnce{})
	o := v.(*dirOnce)
	o.once.Do(func() {
		if o.err = t.dir(path.Dir(d)); o.err != nil {
			return
		}
		if o.err = t.w.dir(d); errors.Is(o.err, fs.ErrExist) {
			o.err = fmt.Errorf("chemin de sortie %q à la fois fichier et dossier (bogue du générateur)", d)
		}
	})
	return o.err
}

// Files and Size are the number of files Put has written (the marker
// aside) and their total size in bytes.
func (t *Tree) Files() int  { return int(t.count.Load()) }
func (t *Tree) Size() int64 { return t.size.Load() }

// Commit fixes the folders' times (Options.ModTime), flushes the tree to
// disk (unless Options.NoSync), swaps it with the output folder and
// removes the previous one. On error the output folder is as it was (or,
// at worst, holds the complete new tree when only the removal of the old
// one failed). No Put may run during or after Commit.
func (t *Tree) Commit() error {
	if t.closed {
		return errors.New("publish: Commit d'un dossier déjà fermé")
	}
	t.closed = true
	defer t.unlock()
	t.flushes.Wait()
	if err := t.finish(); err != nil {
		removeTree(t.tmp)
		return err
	}
	if err := t.o.swap(t.tmp, t.target, t.parent, t.base); err != nil {
		return err
	}
	if t.o.NoSync {
		return nil
	}
	// The renames are in the parent folder: flush it so that the swap
	// itself survives a power cut.
	return syncDir(t.parent)
}

// Abort removes the new tree; the output folder stays as it was. It may be
// called after a failed Put, and does nothing after Commit.
func (t *Tree) Abort() {
	if t.closed {
		return
	}
	t.closed = true
	t.flushes.Wait()
	removeTree(t.tmp)
	t.unlock()
}

// checkPaths validates the output paths and returns them sorted.
func checkPaths(files map[string][]byte) ([]string, error) {
	paths := make([]string, 0, len(files))
	dirs := make(map[string]bool)
	for p := range files {
		if !fs.ValidPath(p) || p == "." || strings.Contains(p, `\`) {
			return nil, fmt.Errorf("chemin de sortie invalide %q : il faut un chemin relatif, avec des /, sans . ni .. (bogue du générateur)", p)
		}
		if p == Marker {
			return nil, fmt.Errorf("chemin de sortie réservé %q : publish y écrit sa marque", p)
		}
		paths = append(paths, p)
		for d := path.Dir(p); d != "."; d = path.Dir(d) {
			dirs[d] = true
		}
	}
	slices.Sort(paths)
	for _, p := range paths {
		if dirs[p] {
			return nil, fmt.Errorf("chemin de sortie %q à la fois fichier et dossier (bogue du générateur)", p)
		}
	}
	return paths, nil
}

// resolveTarget returns the absolute path of the folder to replace, symbolic
// links resolved (a link to a folder is followed, the link stays). Missing
// parent folders are created, as `cqp build --out a/b/c` should.
func resolveTarget(dir string) (string, error) {
	if strings.TrimSpace(dir) == "" {
		return "", errors.New("dossier de sortie vide : indiquez-en un avec --out")
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", fmt.Errorf("dossier de sortie %q : %v", dir, err)
	}
	if _, err := os.Lstat(abs); err == nil {
		return filepath.EvalSymlinks(abs)
	}
	parent := filepath.Dir(abs)
	if err := os.MkdirAll(parent, dirMode); err != nil {
		return "", fmt.Errorf("création du dossier %q : %v", parent, err)
	}
	realParent, err := filepath.EvalSymlinks(parent)
	if err != nil {
		return "", fmt.Errorf("dossier %q : %v", parent, err)
	}
	return filepath.Join(realParent, filepath.Base(abs)), nil
}

// refuse returns an error when replacing target would delete something that
// is not a previous output.
func (o Options) refuse(dir, target string) error {
	if filepath.Dir(target) == target {
		return fmt.Errorf("dossier de sortie %q refusé : c'est la racine du système de fichiers ; choisissez un dossier à part, par exemple public", dir)
	}
	type protected struct{ path, what string }
	var guard []protected
	if home, err := os.UserHomeDir(); err == nil && home != "" {
		guard = append(guard, protected{home, "votre dossier personnel"})
	}
	if wd, err := os.Getwd(); err == nil {
		guard = append(guard, protected{wd, "le dossier courant"})
	}
	if o.Source != "" {
		guard = append(guard, protected{o.Source, "le dossier source du site"})
	}
	for _, g := range guard {
		p, err := filepath.Abs(g.path)
		if err != nil {
			continue
		}
		if real, err := filepath.EvalSymlinks(p); err == nil {
			p = real
		}
		if within(p, target) {
			how := "est"
			if p != target {
				how = "contient"
			}
			return fmt.Errorf("dossier de sortie %q refusé : il %s %s (%s), que la construction effacerait ; choisissez un dossier à part, par exemple public", dir, how, g.what, p)
		}
	}
	return checkReplaceable(dir, target)
}

// within reports whether p is dir or lies under it.
func within(p, dir string) bool {
	rel, err := filepath.Rel(dir, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) && !filepath.IsAbs(rel)
}

// checkReplaceable refuses an existing target that is not a folder, or a
// non-empty folder without the marker.
func checkReplaceable(dir, target string) error {
	st, err := os.Stat(target)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("dossier de sortie %q : %v", dir, err)
	}
	if !st.IsDir() {
		return fmt.Errorf("dossier de sortie %q refusé : c'est un fichier, pas un dossier", dir)
	}
	ours, err := isOurs(target)
	if err != nil {
		return fmt.Errorf("dossier de sortie %q : %v", dir, err)
	}
	if !ours {
		return fmt.Errorf("dossier de sortie %q refusé : il n'est pas vide et ne vient pas de cqp build (pas de fichier %s) ; la construction remplace tout le dossier, videz-le ou choisissez-en un autre", dir, Marker)
	}
	return nil
}

// isOurs reports whether the folder is empty or holds the marker.
func isOurs(dir string) (bool, error) {
	if st, err := os.Lstat(filepath.Join(dir, Marker)); err == nil {
		return st.Mode().IsRegular(), nil
	}
	f, err := os.Open(dir)
	if err != nil {
		return false, err
	}
	defer f.Close()
	names, err := f.Readdirnames(1)
	if len(names) == 0 && errors.Is(err, io.EOF) {
		return true, nil
	}
	if err != nil && !errors.Is(err, io.EOF) {
		return false, err
	}
	return false, nil
}

// randomSuffix names temporary folders: 16 hex digits, so that two runs
// never pick the same name and cleanLeftovers recognises them exactly.
func randomSuffix() string {
	var b [8]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// leftoverName matches the names Write gives its temporary folders.
var leftoverName = regexp.MustCompile(`^\.(tmp|old)-[0-9a-f]{16}$`)

// cleanLeftovers removes what a killed run left beside target. It first
// puts back a previous site that a run killed between the two renames of
// the fallback swap left aside.
func cleanLeftovers(parent, base, target string) error {
	entries, err := os.ReadDir(parent)
	if err != nil {
		return fmt.Errorf("lecture de %q : %v", parent, err)
	}
	var tmps, olds []string
	for _, e := range entries {
		name := e.Name()
		if !strings.HasPrefix(name, base) || !leftoverName.MatchString(name[len(base):]) || !e.IsDir() {
			continue
		}
		p := filepath.Join(parent, name)
		if ours, err := isOurs(p); err != nil || !ours {
			continue
		}
		if strings.HasPrefix(name[len(base):], ".old-") {
			olds = append(olds, p)
		} else {
			tmps = append(tmps, p)
		}
	}
	if _, err := os.Lstat(target); errors.Is(err, fs.ErrNotExist) && len(olds) > 0 {
		if err := os.Rename(olds[0], target); err != nil {
			return fmt.Errorf("remise en place du site précédent %q : %v", olds[0], err)
		}
		olds = olds[1:]
	}
	for _, p := range append(tmps, olds...) {
		if err := removeTree(p); err != nil {
			return fmt.Errorf("suppression du reste d'une construction interrompue %q : %v", p, err)
		}
	}
	return nil
}

// finish sets the folders' times and flushes the tree to disk.
func (t *Tree) finish() error {
	var dirs []string
	t.dirs.Range(func(k, _ any) bool {
		dirs = append(dirs, k.(string))
		return true
	})
	if mt := t.o.ModTime; !mt.IsZero() {
		if err := os.Chtimes(filepath.Join(t.tmp, Marker), mt, mt); err != nil {
			return err
		}
		// Deepest folders first: setting a folder's time must come after
		// everything inside it has been created and touched.
		slices.SortFunc(dirs, func(a, b string) int {
			return cmp.Or(strings.Count(b, "/")-strings.Count(a, "/"), strings.Compare(a, b))
		})
		for _, d := range dirs {
			if err := os.Chtimes(filepath.Join(t.tmp, filepath.FromSlash(d)), mt, mt); err != nil {
				return err
			}
		}
	}
	switch {
	case t.o.NoSync:
		// The caller chose speed over surviving a power cut.
	case canSyncFS:
		if err := syncFS(t.tmp); err != nil {
			return fmt.Errorf("écriture sur disque de %q : %v", t.tmp, err)
		}
	default:
		for _, d := range append(dirs, ".") {
			if err := syncDir(filepath.Join(t.tmp, filepath.FromSlash(d))); err != nil {
				return err
			}
		}
	}
	if mt := t.o.ModTime; !mt.IsZero() {
		// The root last: syncing did not change it, but writing did.
		if err := os.Chtimes(t.tmp, mt, mt); err != nil {
			return err
		}
	}
	return nil
}

// treeWriter creates the files and folders of one tree.
type treeWriter struct {
	root              string
	fixFiles, fixDirs bool // the umask is stricter than the modes we want
	syncEach          bool // no syncfs: fsync every file
}

func (w treeWriter) dir(p string) error {
	full := filepath.Join(w.root, filepath.FromSlash(p))
	if err := os.Mkdir(full, dirMode); err != nil {
		return fmt.Errorf("création du dossier %q : %w", full, err)
	}
	if w.fixDirs {
		return os.Chmod(full, dirMode)
	}
	return nil
}

// file creates the file at p and fills it with write, which returns how
// many bytes it wrote.
func (w treeWriter) file(p string, write func(*os.File) (int64, error)) (int64, error) {
	full := filepath.Join(w.root, filepath.FromSlash(p))
	f, err := os.OpenFile(full, os.O_WRONLY|os.O_CREATE|os.O_EXCL, fileMode)
	if err != nil {
		return 0, fmt.Errorf("écriture de %q : %w", full, err)
	}
	size, err := write(f)
	if err == nil && w.fixFiles {
		err = f.Chmod(fileMode)
	}
	if err == nil && w.syncEach {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return size, fmt.Errorf("écriture de %q : %v", full, err)
	}
	return size, nil
}

// swap puts the complete tree tmp in place of target and removes the old
// tree.
func (o Options) swap(tmp, target, parent, base string) error {
	_, err := os.Lstat(target)
	if errors.Is(err, fs.ErrNotExist) {
		if err := os.Rename(tmp, target); err != nil {
			removeTree(tmp)
			return fmt.Errorf("mise en place de %q : %v", target, err)
		}
		return nil
	}

	if !o.noExchange {
		switch err := exchange(tmp, target); {
		case err == nil:
			// tmp now holds the previous site; it carries the marker, so
			// a run killed while removing it leaves a leftover that the
			// next run removes.
			if err := removeTree(tmp); err != nil {
				return fmt.Errorf("suppression de l'ancien site %q : %v", tmp, err)
			}
			return nil
		case errors.Is(err, errExchangeUnsupported):
			// Fall through to two renames.
		default:
			removeTree(tmp)
			return swapError(target, err)
		}
	}

	old := filepath.Join(parent, base+".old-"+randomSuffix())
	if err := os.Rename(target, old); err != nil {
		removeTree(tmp)
		return swapError(target, err)
	}
	// The window: target does not exist until the next rename returns.
	if err := os.Rename(tmp, target); err != nil {
		// Put the previous site back; if even that fails, the next run
		// will, from the .old- folder.
		os.Rename(old, target)
		removeTree(tmp)
		return swapError(target, err)
	}
	if err := removeTree(old); err != nil {
		return fmt.Errorf("suppression de l'ancien site %q : %v", old, err)
	}
	return nil
}

// removeTree removes a tree that Write made, its marker last: a run killed
// halfway leaves a folder that still carries the marker, which the next run
// recognises as its own and removes (os.RemoveAll alone could remove the
// marker first and leave a folder that no run would dare touch).
func removeTree(dir string) error {
	f, err := os.Open(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	names, err := f.Readdirnames(-1)
	f.Close()
	if err != nil {
		return err
	}
	for _, name := range names {
		if name == Marker {
			continue
		}
		if err := os.RemoveAll(filepath.Join(dir, name)); err != nil {
			return err
		}
	}
	return os.RemoveAll(dir)
}

func swapError(target string, err error) error {
	if isBusy(err) {
		return fmt.Errorf("impossible de remplacer %q : c'est sans doute un point de montage (volume Docker...) ; indiquez un sous-dossier comme --out, par exemple %q", target, filepath.Join(target, "public"))
	}
	return fmt.Errorf("remplacement de %q : %v", target, err)
}

// errExchangeUnsupported says that the system cannot swap two names
// atomically; Write then uses two renames.
var errExchangeUnsupported = errors.New("échange atomique de noms non pris en charge")
