;;; schemos --- evaluate GNU Guix system descriptions
;;;
;;; (gnu system file-systems): declaring file systems to be mounted.
;;;
;;; The model of GNU Guix 1.5's module of the same name: the <file-system>
;;; record, file system labels, the common pseudo file systems and
;;; %base-file-systems, file system mappings for containers and VMs, and
;;; swap spaces.
;;;
;;; Where schemos differs from Guix, and why:
;;;
;;; - Guix's 'file-system' macro still accepts the 'title' field deprecated
;;;   in 2017; schemos' 'file-system' is the record constructor itself, so a
;;;   'title' field is reported as an unknown field.
;;; - The store prefix is always "/gnu/store": schemos computes Guix's store
;;;   file names, whatever the physical place of its store.

(define-module (gnu system file-systems)
  #:use-module ((guix records) #:hide (define-record-type*))
  #:use-module (schemos system-support)
  #:use-module (gnu system uuid)
  #:use-module (srfi srfi-1)
  #:use-module (srfi srfi-9)
  #:re-export (uuid                               ;backward compatibility
               string->uuid
               uuid->string)
  #:export (file-system
            file-system?
            file-system-device
            file-system-device->string
            file-system-title                     ;deprecated
            file-system-mount-point
            file-system-type
            file-system-needed-for-boot?
            file-system-flags
            file-system-options
            file-system-options->alist
            alist->file-system-options

            file-system-mount?
            file-system-mount-may-fail?
            file-system-check?
            file-system-skip-check-if-clean?
            file-system-repair
            file-system-create-mount-point?
            file-system-dependencies
            file-system-shepherd-requirements
            file-system-location

            file-system-type-predicate
            file-system-mount-point-predicate
            btrfs-subvolume?
            btrfs-store-subvolume-file-name

            file-system-label
            file-system-label?
            file-system-label->string

            file-system->spec
            spec->file-system
            specification->file-system-mapping

            %pseudo-file-system-types
            %fuse-control-file-system
            %binary-format-file-system
            %debug-file-system
            %efivars-file-system
            %shared-memory-file-system
            %pseudo-terminal-file-system
            %tty-gid
            %immutable-store
            %control-groups
            %elogind-file-systems

            %base-file-systems
            %container-file-systems

            <file-system-mapping>
            file-system-mapping
            file-system-mapping?
            file-system-mapping-source
            file-system-mapping-target
            file-system-mapping-writable?

            file-system-mapping->bind-mount

            %store-mapping
            %network-configuration-files
            %network-file-mappings

            swap-space
            swap-space?
            swap-space-target
            swap-space-dependencies
            swap-space-priority
            swap-space-discard?))

(define (%store-prefix)
  "The store prefix, as Guix has it."
  "/gnu/store")

(define %known-file-system-flags
  ;; Keep in sync with what the mount code understands.
  '(read-only bind-mount no-suid no-dev no-exec no-atime no-diratime
    strict-atime lazy-time shared))

(define-with-syntax-properties (validate-file-system-flags (flags properties))
  ;; Guix checks the flags where the 'flags' field is written.
  (let ((invalid (remove (lambda (flag) (memq flag %known-file-system-flags))
                         flags)))
    (if (null? invalid)
        flags
        (raise-located-error
         (source-properties->location properties)
         (format #f "invalid file system mount flag~a:~{ ~s~}"
                 (if (= 1 (length invalid)) "" "s") invalid)
         "the known flags are read-only, bind-mount, no-suid, no-dev, no-exec, \
no-atime, no-diratime, strict-atime, lazy-time and shared"))))

;; File system declaration.
(define-record-type* <file-system> file-system
  make-file-system
  file-system?
  (device           file-system-device) ; string | <uuid> | <file-system-label>
  (mount-point      file-system-mount-point)      ; string
  (type             file-system-type)             ; string
  (flags            file-system-flags             ; list of symbols
                    (default '())
                    (sanitize validate-file-system-flags))
  (options          file-system-options           ; string or #f
                    (default #f))
  (mount?           file-system-mount?            ; Boolean
                    (default #t))
  (mount-may-fail?  file-system-mount-may-fail?   ; Boolean
                    (default #f))
  (needed-for-boot? %file-system-needed-for-boot? ; Boolean
                    (default #f))
  (check?           file-system-check?            ; Boolean
                    (default #t))
  (skip-check-if-clean? file-system-skip-check-if-clean? ; Boolean
                        (default #t))
  (repair           file-system-repair            ; symbol or #f
                    (default 'preen))
  (create-mount-point? file-system-create-mount-point? ; Boolean
                       (default #f))
  (dependencies     file-system-dependencies      ; list of <file-system>
                    (default '()))                ; or <mapped-device>
  (shepherd-requirements file-system-shepherd-requirements ; list of symbols
                         (default '()))
  (location         file-system-location
                    (default (current-source-location))
                    (innate)))

;; A file system label for use in the 'device' field.
(define-record-type <file-system-label>
  (file-system-label label)
  file-system-label?
  (label file-system-label->string))

(set-record-type-printer! <file-system-label>
                          (lambda (obj port)
                            (format port "#<file-system-label ~s>"
                                    (file-system-label->string obj))))

(define (file-system-title fs)                    ;deprecated
  "The kind of device FS names: 'label, 'uuid or 'device."
  (let ((device (file-system-device fs)))
    (cond ((file-system-label? device) 'label)
          ((uuid? device) 'uuid)
          (else 'device))))

(define (file-prefix? file1 file2)
  "Return #t if FILE1 denotes a directory that is FILE2 or one of its parents,
both being absolute or both relative file names."
  (define (absolute? file) (string-prefix? "/" file))
  (define (components file)
    (filter (lambda (s) (not (string-null? s))) (string-split file #\/)))
  (and (eq? (absolute? file1) (absolute? file2))
       (let loop ((a (components file1)) (b (components file2)))
         (cond ((null? a) #t)
               ((null? b) #f)
               ((string=? (car a) (car b)) (loop (cdr a) (cdr b)))
               (else #f)))))

(define (file-name-depth file-name)
  (length (filter (lambda (s) (not (string-null? s)))
                  (string-split file-name #\/))))

(define* (file-system-device->string device #:key uuid-type)
  "Return the string representation of DEVICE, the device field of a
<file-system>.  A UUID is shown in the format of UUID-TYPE ('dce, 'iso9660…)
when given, else in its own."
  (cond ((file-system-label? device) (file-system-label->string device))
        ((uuid? device)
         (if uuid-type
             (uuid->string (uuid-bytevector device) uuid-type)
             (uuid->string device)))
        (else device)))

(define (file-system-options->alist string)
  "Translate the option string of a <file-system> record into an association
list of options or option/value pairs."
  (if string
      (map (lambda (param)
             (let ((=index (string-index param #\=)))
               (if =index
                   (cons (string-take param =index)
                         (string-drop param (+ 1 =index)))
                   param)))
           (string-split string #\,))
      '()))

(define (alist->file-system-options options)
  "Return the string form of OPTIONS, an association list, for the options
field of a <file-system> record, or #f for no options."
  (if (null? options)
      #f
      (string-join (map (lambda (option)
                          (if (pair? option)
                              (string-append (car option) "=" (cdr option))
                              option))
                        options)
                   ",")))

(define (file-system-needed-for-boot? fs)
  "Return true if FS has the 'needed-for-boot?' flag set, or if it holds the
store--e.g., if FS is the root file system."
  (or (%file-system-needed-for-boot? fs)
      (and (file-prefix? (file-system-mount-point fs) (%store-prefix))
           (not (memq 'bind-mount (file-system-flags fs))))))

(define (file-system->spec fs)
  "Return a list corresponding to file-system FS that can be passed to the
initrd code."
  (let ((device (file-system-device fs)))
    (list (cond ((uuid? device)
                 `(uuid ,(uuid-type device) ,(uuid-bytevector device)))
                ((file-system-label? device)
                 `(file-system-label ,(file-system-label->string device)))
                (else device))
          (file-system-mount-point fs) (file-system-type fs)
          (file-system-flags fs) (file-system-options fs)
          (file-system-mount-may-fail? fs) (file-system-check? fs)
          (file-system-skip-check-if-clean? fs) (file-system-repair fs))))

(define (spec->file-system sexp)
  "Deserialize SEXP, a list made by 'file-system->spec', to a <file-system>."
  (let ((device (list-ref sexp 0)))
    (file-system
      (device (cond ((and (pair? device) (eq? 'uuid (car device)))
                     (bytevector->uuid (caddr device) (cadr device)))
                    ((and (pair? device) (eq? 'file-system-label (car device)))
                     (file-system-label (cadr device)))
                    (else device)))
      (mount-point (list-ref sexp 1)) (type (list-ref sexp 2))
      (flags (list-ref sexp 3)) (options (list-ref sexp 4))
      (mount-may-fail? (list-ref sexp 5))
      (check? (list-ref sexp 6))
      (skip-check-if-clean? (list-ref sexp 7))
      (repair (list-ref sexp 8)))))

(define (specification->file-system-mapping spec writable?)
  "Read SPEC, \"SOURCE\" or \"SOURCE=TARGET\", and return the corresponding
<file-system-mapping>."
  (let ((index (string-index spec #\=)))
    (if index
        (file-system-mapping
         (source (substring spec 0 index))
         (target (substring spec (+ 1 index)))
         (writable? writable?))
        (file-system-mapping
         (source spec)
         (target spec)
         (writable? writable?)))))


;;;
;;; Common file systems.
;;;

(define %pseudo-file-system-types
  ;; List of known pseudo file system types, used when validating file
  ;; system definitions.
  '("binfmt_misc" "cgroup" "debugfs" "devpts" "devtmpfs" "efivarfs" "fusectl"
    "hugetlbfs" "overlay" "proc" "securityfs" "sysfs" "tmpfs"))

(define %fuse-control-file-system
  ;; Control file system for Linux' file systems in user-space (FUSE).
  (file-system
    (device "fusectl")
    (mount-point "/sys/fs/fuse/connections")
    (type "fusectl")
    (check? #f)))

(define %binary-format-file-system
  ;; Support for arbitrary executable binary format.
  (file-system
    (device "binfmt_misc")
    (mount-point "/proc/sys/fs/binfmt_misc")
    (type "binfmt_misc")
    (check? #f)))

(define %debug-file-system
  (file-system
    (type "debugfs")
    (device "none")
    (mount-point "/sys/kernel/debug")
    (check? #f)
    (create-mount-point? #t)))

(define %efivars-file-system
  ;; Support for EFI variables file system.
  (file-system
    (device "efivarfs")
    (mount-point "/sys/firmware/efi/efivars")
    (type "efivarfs")
    (mount-may-fail? #t)
    (needed-for-boot? #f)
    (check? #f)))

(define %tty-gid
  ;; ID of the 'tty' group, allocated statically so that the 'tty' group
  ;; definition and the devpts options below agree.
  996)

(define %pseudo-terminal-file-system
  ;; The pseudo-terminal file system: statfs(2) must say DEVPTS_SUPER_MAGIC
  ;; for libc's getpt(3), hence openpty(3), to work.
  (file-system
    (device "none")
    (mount-point "/dev/pts")
    (type "devpts")
    (check? #f)
    (needed-for-boot? #f)
    (create-mount-point? #t)
    (options (string-append "gid=" (number->string %tty-gid) ",mode=620"))))

(define %shared-memory-file-system
  ;; Shared memory.
  (file-system
    (device "tmpfs")
    (mount-point "/dev/shm")
    (type "tmpfs")
    (check? #f)
    (flags '(no-suid no-dev))
    (options "size=50%")
    (create-mount-point? #t)))

(define %immutable-store
  ;; Read-only store, so that users and daemons cannot modify it by
  ;; accident; 'guix-daemon' remounts it read-write in its own name space.
  (file-system
    (device (%store-prefix))
    (mount-point (%store-prefix))
    (type "none")
    (check? #f)
    (flags '(read-only bind-mount no-atime))))

(define %control-groups
  (let ((parent (file-system
                  (device "cgroup")
                  (mount-point "/sys/fs/cgroup")
                  (type "tmpfs")
                  (check? #f))))
    (cons parent
          (map (lambda (subsystem)
                 (file-system
                   (device "cgroup")
                   (mount-point (string-append "/sys/fs/cgroup/" subsystem))
                   (type "cgroup")
                   (check? #f)
                   (options subsystem)
                   (create-mount-point? #t)
                   ;; Mounted after, and unmounted before, the parent.
                   (dependencies (list parent))))
               '("cpuset" "cpu" "cpuacct" "memory" "devices" "freezer"
                 "blkio" "perf_event" "pids")))))

(define %elogind-file-systems
  ;; File systems elogind (extracted from systemd) needs.
  (append
   (list (file-system
           (device "none")
           (mount-point "/run/systemd")
           (type "tmpfs")
           (check? #f)
           (flags '(no-suid no-dev no-exec))
           (options "mode=0755")
           (create-mount-point? #t))
         (file-system
           (device "none")
           (mount-point "/run/user")
           (type "tmpfs")
           (check? #f)
           (flags '(no-suid no-dev no-exec))
           (options "mode=0755")
           (create-mount-point? #t))
         ;; elogind's own cgroup hierarchy, with no resource controller.
         (file-system
           (device "cgroup")
           (mount-point "/sys/fs/cgroup/elogind")
           (type "cgroup")
           (check? #f)
           (options "none,name=elogind")
           (create-mount-point? #t)
           (dependencies (list (car %control-groups)))))
   %control-groups))

(define %base-file-systems
  ;; List of basic file systems to be mounted.  /proc and /sys are mounted
  ;; by the initrd.
  (list %pseudo-terminal-file-system
        %debug-file-system
        %shared-memory-file-system
        %efivars-file-system
        %immutable-store))

;; File systems for Linux containers: the libcontainer specification's flags
;; and options.
(define %container-file-systems
  (list
   ;; Pseudo-terminal file system.
   (file-system
     (device "none")
     (mount-point "/dev/pts")
     (type "devpts")
     (flags '(no-exec no-suid))
     (needed-for-boot? #t)
     (create-mount-point? #t)
     (check? #f)
     (options "newinstance,ptmxmode=0666,mode=620"))
   ;; Shared memory file system.
   (file-system
     (device "tmpfs")
     (mount-point "/dev/shm")
     (type "tmpfs")
     (flags '(no-exec no-suid no-dev))
     (options "mode=1777,size=65536k")
     (needed-for-boot? #t)
     (create-mount-point? #t)
     (check? #f))
   ;; Message queue file system.
   (file-system
     (device "mqueue")
     (mount-point "/dev/mqueue")
     (type "mqueue")
     (flags '(no-exec no-suid no-dev))
     (needed-for-boot? #t)
     (create-mount-point? #t)
     (check? #f))))


;;;
;;; Shared file systems, for VMs/containers.
;;;

;; Mapping of host file system SOURCE to mount point TARGET in the guest.
(define-record-type* <file-system-mapping> file-system-mapping
  make-file-system-mapping
  file-system-mapping?
  (source    file-system-mapping-source)          ;string
  (target    file-system-mapping-target)          ;string
  (writable? file-system-mapping-writable?        ;Boolean
             (default #f)))

(define (file-system-mapping->bind-mount mapping)
  "Return a file system that realizes MAPPING, a <file-system-mapping>, using
a bind mount."
  (file-system
    (mount-point (file-system-mapping-target mapping))
    (device (file-system-mapping-source mapping))
    (type "none")
    (flags (if (file-system-mapping-writable? mapping)
               '(bind-mount)
               '(bind-mount read-only)))
    (check? #f)
    (create-mount-point? #t)))

(define %store-mapping
  ;; Mapping of the host's store into the guest.
  (file-system-mapping
   (source (%store-prefix))
   (target (%store-prefix))
   (writable? #f)))

(define %network-configuration-files
  ;; List of essential network configuration files.
  '("/etc/resolv.conf"
    "/etc/nsswitch.conf"
    "/etc/services"
    "/etc/hosts"))

(define %network-file-mappings
  ;; File mappings for the essential network files.  /etc/resolv.conf is
  ;; writable because it may be a symlink into a tmpfs that cannot be bind
  ;; mounted read-only.
  (map (lambda (file)
         (file-system-mapping
          (source file)
          (target file)
          (writable? (string=? file "/etc/resolv.conf"))))
       %network-configuration-files))

(define (file-system-type-predicate type)
  "Return a predicate that is true of file systems of the given TYPE."
  (lambda (fs)
    (string=? (file-system-type fs) type)))

(define (file-system-mount-point-predicate mount-point)
  "Return a predicate that is true of file systems mounted at MOUNT-POINT."
  (lambda (fs)
    (string=? (file-system-mount-point fs) mount-point)))


;;;
;;; Btrfs specific helpers.
;;;

(define (btrfs-subvolume? fs)
  "True if FS, a file-system object, is a Btrfs subvolume."
  (and (string=? "btrfs" (file-system-type fs))
       (find (lambda (key) (string-prefix? "subvol" key))
             (map (lambda (option) (if (pair? option) (car option) option))
                  (file-system-options->alist (file-system-options fs))))))

(define (btrfs-store-subvolume-file-name file-systems)
  "Return the name, within the Btrfs top level, of the subvolume holding the
store, or #f."
  (define (prepend-slash/maybe s)
    (if (string-prefix? "/" s) s (string-append "/" s)))
  (let* ((subvolumes (sort (filter btrfs-subvolume? file-systems)
                           (lambda (fs1 fs2)
                             (> (file-name-depth (file-system-mount-point fs1))
                                (file-name-depth (file-system-mount-point fs2))))))
         (store-fs (find (lambda (fs)
                           (file-prefix? (file-system-mount-point fs)
                                         (%store-prefix)))
                         subvolumes)))
    (and store-fs
         (let ((subvol (assoc-ref (file-system-options->alist
                                   (file-system-options store-fs))
                                  "subvol")))
           (if subvol
               (prepend-slash/maybe subvol)
               (error "The store is on a Btrfs subvolume, but the subvolume \
name is unknown."))))))


;;;
;;; Swap space
;;;

(define-record-type* <swap-space> swap-space make-swap-space
  swap-space?
  this-swap-space
  (target swap-space-target)
  (dependencies swap-space-dependencies
                (default '()))
  (priority swap-space-priority
            (default #f))
  (discard? swap-space-discard?
           (default #f)))
