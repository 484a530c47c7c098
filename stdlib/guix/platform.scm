;;; schemos --- evaluate GNU Guix system descriptions
;;;
;;; (guix platform): the platforms Guix can build for.
;;;
;;; The model of GNU Guix 1.5's module of the same name: the <platform>
;;; record (a GNU triplet for cross-compilation, the Guix system name, the
;;; Linux architecture, the Rust target and glibc's dynamic linker) and the
;;; look-ups by system and by target.  Images name the platform they are for
;;; (see (gnu image)).
;;;
;;; Where schemos differs from Guix, and why: Guix finds the platforms by
;;; scanning every module under guix/platforms/ on the load path; schemos
;;; asks the platform modules it has, (guix platforms x86).  A platform that
;;; cannot be found raises a condition of type &platform-not-found-error, as
;;; in Guix.

(define-module (guix platform)
  #:use-module (guix records)
  #:use-module (srfi srfi-1)
  #:use-module (srfi srfi-34)
  #:use-module (srfi srfi-35)
  #:export (platform
            platform?
            platform-target
            platform-system
            platform-linux-architecture
            platform-rust-target
            platform-glibc-dynamic-linker

            &platform-not-found-error
            platform-not-found-error?
            platform-not-found-error-target-or-system
            false-if-platform-not-found

            platform-modules
            platforms
            lookup-platform-by-system
            lookup-platform-by-target
            lookup-platform-by-target-or-system
            platform-system->target
            platform-target->system

            systems
            targets))

;;;
;;; Platform record.
;;;

;; 'target' is a GNU triplet, used for cross-compilation; 'system' the Guix
;; system name ("i586-gnu"); 'linux-architecture' the ARCH of Linux builds,
;; only for Linux; 'glibc-dynamic-linker' the file name of glibc's loader.
(define-record-type* <platform> platform make-platform
  platform?
  (target               platform-target)
  (system               platform-system)
  (linux-architecture   platform-linux-architecture
                        (default #false))
  (rust-target          platform-rust-target
                        (default #false))
  (glibc-dynamic-linker platform-glibc-dynamic-linker))


;;;
;;; Exceptions.
;;;

(define-condition-type &platform-not-found-error &error
  platform-not-found-error?
  (target-or-system platform-not-found-error-target-or-system))

(define-syntax-rule (false-if-platform-not-found exp)
  "Evaluate EXP but return #f if it raises a platform-not-found-error?
exception."
  (guard (ex ((platform-not-found-error? ex) #f))
    exp))


;;;
;;; Platforms.
;;;

(define (platform-modules)
  "Return the list of platform modules."
  (list (resolve-interface '(guix platforms x86))))

(define %platforms
  ;; Delayed: the platform modules use this one.
  (delay (append-map (lambda (module)
                       (filter-map (lambda (name)
                                     (let ((value (module-ref module name)))
                                       (and (platform? value) value)))
                                   '(i686-linux x86_64-linux i686-mingw
                                     x86_64-mingw i586-gnu x86_64-gnu)))
                     (platform-modules))))

(define (platforms)
  "Return the list of publicly-known platforms."
  (force %platforms))

(define (lookup-platform-by-system system)
  "Return the platform corresponding to the given SYSTEM.  Raise
&PLATFORM-NOT-FOUND-ERROR when no platform could be found."
  (or (find (lambda (platform)
              (let ((s (platform-system platform)))
                (and (string? s) (string=? s system))))
            (platforms))
      (raise (condition (&platform-not-found-error
                         (target-or-system system))))))

(define (lookup-platform-by-target target)
  "Return the platform corresponding to the given TARGET.  Raise
&PLATFORM-NOT-FOUND-ERROR when no platform could be found."
  (or (find (lambda (platform)
              (let ((t (platform-target platform)))
                (and (string? t) (string=? t target))))
            (platforms))
      (raise (condition (&platform-not-found-error
                         (target-or-system target))))))

(define (lookup-platform-by-target-or-system target-or-system)
  "Return the platform corresponding to the given TARGET or SYSTEM.  Raise
&PLATFORM-NOT-FOUND-ERROR when no platform could be found."
  (or (false-if-platform-not-found (lookup-platform-by-target target-or-system))
      (false-if-platform-not-found (lookup-platform-by-system target-or-system))
      (raise (condition (&platform-not-found-error
                         (target-or-system target-or-system))))))

(define (platform-system->target system)
  "Return the target matching the given SYSTEM if it exists or false
otherwise."
  (let ((platform (lookup-platform-by-system system)))
    (and=> platform platform-target)))

(define (platform-target->system target)
  "Return the system matching the given TARGET if it exists or false
otherwise."
  (let ((platform (lookup-platform-by-target target)))
    (and=> platform platform-system)))


;;;
;;; Systems & Targets.
;;;

(define (systems)
  "Return the list of supported systems."
  (delete-duplicates
   (filter-map platform-system (platforms))))

(define (targets)
  "Return the list of supported targets."
  (map platform-target (platforms)))
