package signalsafe

import (
	"os"
	"sync"
)

var (
	mu      sync.Mutex
	pending = map[string]bool{} // name → is a directory
)

// CreateTemp is os.CreateTemp that also records the new file's name until
// Forget is called.
func CreateTemp(dir, pattern string) (*os.File, error) {
	mu.Lock()
	defer mu.Unlock()
	f, err := os.CreateTemp(dir, pattern)
	if err != nil {
		return nil, err
	}
	pending[f.Name()] = false
	return f, nil
}

// MkdirTemp is os.MkdirTemp that also records the new directory, which
// RemoveAll and Remove delete with everything in it.
func MkdirTemp(dir, pattern string) (string, error) {
	mu.Lock()
	defer mu.Unlock()
	name, err := os.MkdirTemp(dir, pattern)
	if err != nil {
		return "", err
	}
	pending[name] = true
	return name, nil
}

// Create is os.Create under the registry's lock: a file created inside a
// directory of MkdirTemp this way cannot appear once RemoveAll has started
// removing the directory.
func Create(name string) (*os.File, error) {
	mu.Lock()
	defer mu.Unlock()
	return os.Create(name)
}

// Forget drops name from the list once it has been renamed or removed.
func Forget(name string) {
	mu.Lock()
	defer mu.Unlock()
	delete(pending, name)
}

// Pending returns the number of recorded temporary files.
func Pending() int {
	mu.Lock()
	defer mu.Unlock()
	return len(pending)
}

// RemoveAll removes every recorded temporary file and then keeps the lock,
// so that CreateTemp blocks for good: call it only on the way out of the
// process. A file already renamed into place no longer exists under its
// temporary name, so removing it is a no-op and the finished output stays.
func RemoveAll() {
	mu.Lock()
	for name, dir := range pending {
		remove(name, dir)
	}
}

func remove(name string, dir bool) {
	if dir {
		os.RemoveAll(name)
	} else {
		os.Remove(name)
	}
}

// Remove removes a recorded temporary file that will not be renamed into
// place and drops it from the list; errors are ignored, as after a
// successful rename the name no longer exists.
func Remove(name string) {
	mu.Lock()
	defer mu.Unlock()
	remove(name, pending[name])
	delete(pending, name)
}
