;;; schemos --- evaluate GNU Guix system descriptions
;;;
;;; (gnu services): service types, services, and folding them into a system.
;;;
;;; This is the model of GNU Guix 1.5's module of the same name.  A service
;;; type says which other service types its instances extend (a list of
;;; service extensions, each with a procedure computing the extension from
;;; the service's value), and, when it can itself be extended, how to
;;; compose the extensions it receives and extend its own value with them.
;;; 'fold-services' propagates the extensions of a list of services down to
;;; one root (the 'system' service, or any other type) and returns that root
;;; with its final value.
;;;
;;; Where schemos differs from Guix, and why:
;;;
;;; - Guix's system-level values are monadic (store-monad values of
;;;   derivations).  schemos has no store monad: the values that extend
;;;   'system-service-type' are plain lists of (NAME FILE-LIKE) entries and
;;;   the system service's final value is the 'file-union' of them.  The
;;;   lowering stage turns file-likes into derivations.
;;; - Every <service> remembers where it was written ('service-location', a
;;;   schemos extension), so that service errors point at the user's form
;;;   even when Guix only reports a message; and while an extension is being
;;;   computed, '%extending-service' names the service it comes from, so that
;;;   the shepherd services it makes can be traced back to it.
;;; - Modules Guix loads for one procedure only (profiles, the privileged
;;;   program records, a few packages) are looked up when that procedure
;;;   runs, so that loading this module needs nothing but the model itself.

(define-module (gnu services)
  #:use-module (schemos services-support)
  #:use-module (guix records)
  #:use-module (guix gexp)
  #:use-module (srfi srfi-1)
  #:export (service-extension
            service-extension?
            service-extension-target
            service-extension-compute

            service-type
            service-type?
            service-type-name
            service-type-extensions
            service-type-compose
            service-type-extend
            service-type-default-value
            service-type-description
            service-type-location

            service
            service?
            service-kind
            service-value
            service-parameters                    ;deprecated
            service-location                      ;schemos extension

            simple-service
            modify-services
            service-back-edges
            instantiate-missing-services
            fold-services
            remove-service-extensions
            validate-service-list
            %extending-service                    ;schemos extension
            %preferred-location                   ;schemos extension

            system-service-type
            provenance-service-type
            boot-service-type
            cleanup-service-type
            activation-service-type
            activation-service->script
            %linux-bare-metal-service
            %hurd-rc-script
            hurd-startup-service-type
            %hurd-startup-service
            special-files-service-type
            extra-special-file
            etc-service-type
            etc-profile-d-service-type
            etc-bashrc-d-service-type
            etc-directory
            privileged-program-service-type
            setuid-program-service-type           ;deprecated alias
            profile-service-type
            firmware-service-type
            gc-root-service-type
            linux-builder-service-type
            linux-builder-configuration
            linux-builder-configuration?
            linux-builder-configuration-kernel
            linux-builder-configuration-modules
            linux-loadable-module-service-type

            %boot-service
            %activation-service
            etc-service)                          ;deprecated
  #:re-export (;; 'modify-services' matches its (delete TYPE) clauses by
               ;; binding, as Guix does, so 'delete' is part of the interface.
               delete

               service-error?
               missing-value-service-error?
               missing-value-service-error-type
               missing-value-service-error-location
               missing-target-service-error?
               missing-target-service-error-service
               missing-target-service-error-target-type
               ambiguous-target-service-error?
               ambiguous-target-service-error-service
               ambiguous-target-service-error-target-type))


;;;
;;; Service types and services.
;;;

(define-record-type <service-extension>
  (service-extension target compute)
  service-extension?
  (target  service-extension-target)              ;<service-type>
  (compute service-extension-compute))            ;value -> extension value

;; The default value of a type that has none: a fresh list, compared with
;; eq?, so that no value a user can write is mistaken for it.
(define &no-default-value
  (list 'no 'default 'value))

(define-record-type* <service-type> service-type make-service-type
  service-type?
  (name          service-type-name)               ;symbol
  ;; The service types that instances of this type extend.
  (extensions    service-type-extensions)         ;list of <service-extension>
  ;; Combine the extensions this type receives into one value ...
  (compose       service-type-compose             ;list -> any
                 (default #f))
  ;; ... and extend the instance's own value with that.  #f means instances
  ;; of this type cannot be extended.
  (extend        service-type-extend              ;value, composed -> value
                 (default #f))
  (default-value service-type-default-value
                 (default &no-default-value))
  (description   service-type-description)        ;string, required
  ;; Where the type was defined; innate so that (inherit ...) gets the new
  ;; definition's place.
  (location      service-type-location
                 (default (%current-location))
                 (innate)))

(define (write-service-type type port)
  ;; Guix also prints the object's address; schemos keeps output
  ;; deterministic.
  (format port "#<service-type ~a>" (service-type-name type)))

(set-record-type-printer! <service-type> write-service-type)

(define-record-type <service>
  (%make-service type value location)
  service?
  (type     service-kind)                         ;<service-type>
  (value    service-value)                        ;any
  (location service-location))                    ;location or #f

;; (service TYPE [VALUE]): an instance of TYPE whose value is VALUE or, if
;; omitted, TYPE's default value.  The instance remembers where it was
;; written.
(define-syntax service
  (syntax-rules ()
    ((_ type value)
     (%make-service type value (%current-location)))
    ((_ type)
     (%service-with-default-value (%current-location) type))))

(define (%service-with-default-value location type)
  "Return an instance of TYPE with its default value, or raise Guix's error,
located at LOCATION, if TYPE has none."
  (let ((default (service-type-default-value type)))
    (if (eq? default &no-default-value)
        (raise (make-service-error
                'missing-value location
                (format #f "no value specified for service of type '~a'"
                        (service-type-name type))
                `((type . ,type))
                "give the service a value, as in (service TYPE VALUE)"))
        (%make-service type default location))))

(define service-parameters
  ;; Deprecated alias, kept as Guix keeps it.
  service-value)

(define (simple-service name target value)
  "Return a service that extends TARGET with VALUE.  This works by creating a
singleton service type NAME, of which the returned service is an instance."
  (%make-service (service-type (name name)
                               (extensions
                                (list (service-extension target identity)))
                               (description "This is a simple service."))
                 value
                 #f))


;;;
;;; modify-services.
;;;

;; Each clause becomes a (KIND PROC LOCATION) list: PROC maps a service of
;; type KIND to its replacement, or to #f to delete it; LOCATION is where the
;; clause was written, for the errors below.
(define-syntax clause-alist
  (syntax-rules ()
    ((_ clause rest ...)
     (cons (%modify-clause clause (%location-of clause))
           (clause-alist rest ...)))
    ((_)
     '())))

(define-syntax %modify-clause
  (syntax-rules (=> delete)
    ((_ (delete kind) location)
     (list kind (lambda (svc) #f) location))
    ((_ (kind param => exp ...) location)
     (list kind
           (lambda (svc)
             (let ((param (service-value svc)))
               ;; The new service is located at the clause that made it.
               (%make-service (service-kind svc) (begin exp ...) location)))
           location))))

(define (clause-error location fmt . args)
  (raise (make-service-error 'error location (apply format #f fmt args) '())))

(define (%apply-clauses clauses service deleted)
  "Apply CLAUSES in order to SERVICE, which becomes #f once deleted.  DELETED
lists the (KIND LOCATION) of deletions so far: a later clause touching a
deleted kind is an error."
  (if (null? clauses)
      service
      (let* ((clause   (car clauses))
             (kind     (first clause))
             (proc     (second clause))
             (location (third clause))
             (gone     (assq kind deleted)))
        (when gone
          (clause-error location
                        "modify-services: service '~a' was deleted here: ~a"
                        (service-type-name kind)
                        (location->string (cadr gone))))
        (if (and service (eq? (service-kind service) kind))
            (let ((new (proc service)))
              (%apply-clauses (cdr clauses) new
                              (if new
                                  deleted
                                  (cons (list kind location) deleted))))
            (%apply-clauses (cdr clauses) service deleted)))))

(define (%modify-services services clauses)
  "Apply CLAUSES to every one of SERVICES; a clause whose type has no
instance among SERVICES is an error."
  (for-each (lambda (clause)
              (let ((kind (first clause)))
                (unless (find (lambda (s) (eq? (service-kind s) kind))
                              services)
                  (clause-error (third clause)
                                "modify-services: service '~a' not found in service list"
                                (service-type-name kind)))))
            clauses)
  (filter-map (lambda (s) (%apply-clauses clauses s '())) services))

;; (modify-services SERVICES CLAUSE ...): SERVICES modified by the clauses.
;; A clause (TYPE VAR => BODY ...) replaces the value of every service of TYPE
;; by BODY, with VAR bound to the old value; (delete TYPE) removes the
;; services of TYPE.
(define-syntax modify-services
  (syntax-rules ()
    ((_ services clauses ...)
     (%modify-services services (clause-alist clauses ...)))))

;; (validate-service-list VALUE): VALUE if it is a list of services, else
;; Guix's error located where VALUE was written.  This is the sanitizer of
;; the 'services' field of operating systems.
(define-syntax validate-service-list
  (syntax-rules ()
    ((_ value)
     (%validate-service-list value (%location-of value)))))

(define (%validate-service-list value location)
  (if (and (list? value) (every service? value))
      value
      (raise (make-service-error
              'error location
              "'services' field must contain a list of services" '()))))

(define (remove-service-extensions type lst)
  "Return TYPE, a service type, without any of the service extensions
targeting one of the types in LST."
  (service-type
   (inherit type)
   (extensions (remove (lambda (extension)
                         (memq (service-extension-target extension) lst))
                       (service-type-extensions type)))))


;;;
;;; Modules and packages some services need only when they compute values.
;;;

(define (module-variable module name)
  ;; Looked up at call time, so that (gnu services) loads without them.
  (module-ref (resolve-interface module) name))


;;;
;;; Core services.
;;;

(define (system-derivation entries extensions)
  "The system directory: ENTRIES plus every entry the extensions bring."
  (file-union "system" (append entries (concatenate extensions))))

(define system-service-type
  ;; The root of the service graph; extended by (NAME FILE-LIKE) entries of
  ;; the system directory.
  (service-type (name 'system)
                (extensions '())
                (compose identity)
                (extend system-derivation)
                (description
                 "Build the operating system top-level directory, which in
turn refers to everything the operating system needs: its kernel, initrd,
system profile, boot script, and so on.")))

(define (compute-boot-script _ gexps)
  ;; The extensions arrive last service first; reversing them puts the
  ;; user's snippets first and the essential ones (running shepherd) last.
  (scheme-file "boot" #~(begin #$@(reverse gexps))))

(define (boot-script-entry boot)
  `(("boot" ,boot)))

(define boot-service-type
  ;; Extended by gexps, which become the boot script.
  (service-type (name 'boot)
                (extensions
                 (list (service-extension system-service-type
                                          boot-script-entry)))
                (compose identity)
                (extend compute-boot-script)
                (default-value #f)
                (description
                 "Produce the operating system's boot script, which is spawned
by the initrd once the root file system is mounted.")))

(define %boot-service
  (service boot-service-type #t))


;;;
;;; Provenance.
;;;

(define (provenance-entry config-file)
  ;; The channels in use are not known to schemos; the configuration file
  ;; is recorded when given.
  (let ((file (cond ((string? config-file)
                     (local-file (assume-valid-file-name config-file)
                                 "configuration.scm"))
                    ((not config-file) #f)
                    (else config-file))))
    `(("provenance"
       ,(scheme-file "provenance"
                     #~(provenance (version 0)
                                   (channels)
                                   (configuration-file #+file))))
      ,@(if file `(("configuration.scm" ,file)) '()))))

(define provenance-service-type
  (service-type (name 'provenance)
                (extensions
                 (list (service-extension system-service-type
                                          provenance-entry)))
                (default-value #f)                ;the OS config file
                (description
                 "Store provenance information about the system in the system
itself: the channels used when building the system, and its configuration
file, when available.")))


;;;
;;; Cleanup and activation.
;;;

(define (cleanup-gexp _)
  "A gexp that empties /tmp, /var/run and /run at boot."
  (let ((locales ((module-variable '(gnu packages base)
                                   'libc-utf8-locales-for-target))))
    (with-imported-modules '((guix build utils))
      #~(begin
          (use-modules (guix build utils))
          ;; Failing to remove a file must not keep the system from booting.
          (define-syntax-rule (try exp ...)
            (begin (catch 'system-error (lambda () exp) (const #f)) ...))
          (try (delete-file "/etc/group.lock")
               (delete-file "/etc/passwd.lock")
               (delete-file "/etc/.pwd.lock")
               (setenv "GUIX_LOCPATH"
                       #+(file-append locales "/lib/locale"))
               (setlocale LC_CTYPE "en_US.utf8")
               (delete-file-recursively "/tmp")
               (delete-file-recursively "/var/run")
               (delete-file-recursively "/run")
               (mkdir "/tmp" #o1777)
               (chmod "/tmp" #o1777)
               (mkdir "/var/run" #o755)
               (chmod "/var/run" #o755)
               (mkdir "/run" #o755)
               (chmod "/run" #o755))))))

(define cleanup-service-type
  (service-type (name 'cleanup)
                (extensions
                 (list (service-extension boot-service-type cleanup-gexp)))
                (description
                 "Delete files from @file{/tmp}, @file{/var/run}, and other
temporary locations at boot time.")))

(define (activation-script gexps)
  "The program that activates the system: each of GEXPS runs in turn, and a
failing one does not stop the others."
  (define actions
    (map (lambda (action)
           (program-file "activate-service.scm"
                         (with-imported-modules '((gnu build activation)
                                                  (guix build utils))
                           #~(begin
                               (use-modules (gnu build activation)
                                            (guix build utils))
                               #$action))))
         gexps))

  (program-file "activate.scm"
                (with-imported-modules '((gnu build activation)
                                         (guix build utils))
                  #~(begin
                      (use-modules (gnu build activation)
                                   (guix build utils))
                      ;; Login accounting needs these files to exist.
                      (mkdir-p "/var/run")
                      (close-port (open-file "/var/run/utmpx" "a0"))
                      (mkdir-p "/var/log")
                      (close-port (open-file "/var/log/wtmp" "a0"))
                      (activate-current-system)
                      (for-each (lambda (action)
                                  (catch #t
                                    (lambda () (primitive-load action))
                                    (lambda args
                                      (format (current-error-port)
                                              "failed to activate '~a': ~s~%"
                                              action args))))
                                '#$actions)))))

(define (activation-service->script service)
  "The activation script of SERVICE, a service of ACTIVATION-SERVICE-TYPE."
  (activation-script (service-value service)))

(define (gexps->activation-gexp gexps)
  #~(primitive-load #$(activation-script gexps)))

(define (activation-profile-entry gexps)
  `(("activate" ,(activation-script gexps))))

(define (second-argument a b) b)

(define activation-service-type
  ;; Extended by gexps, run at boot and upon reconfiguration.
  (service-type (name 'activate)
                (extensions
                 (list (service-extension boot-service-type
                                          gexps->activation-gexp)
                       (service-extension system-service-type
                                          activation-profile-entry)))
                (compose identity)
                (extend second-argument)
                (default-value #f)
                (description
                 "Run @dfn{activation} code at boot time and upon
@command{guix system reconfigure} completion.")))

(define %activation-service
  (service activation-service-type #t))

(define %linux-bare-metal-service
  ;; What only makes sense on the bare metal, not in a container: a
  ;; modprobe that finds the booted kernel's modules, and ptrace for all.
  (simple-service 'linux-bare-metal
                  activation-service-type
                  #~(begin
                      (activate-modprobe
                       #$(program-file
                          "modprobe"
                          #~(let ((modprobe
                                   "/run/current-system/profile/bin/modprobe"))
                              (setenv "LINUX_MODULE_DIRECTORY"
                                      "/run/booted-system/kernel/lib/modules")
                              (setenv "MODPROBE_OPTIONS" "-C /etc/modprobe.d")
                              (apply execl modprobe
                                     (cons modprobe (cdr (command-line)))))))
                      (activate-ptrace-attach))))


;;;
;;; The Hurd's startup.
;;;

(define %hurd-rc-script
  ;; The program the Hurd runs at startup; it boots the system.
  (program-file "rc"
                (with-imported-modules '((guix build utils)
                                         (gnu build hurd-boot)
                                         (guix build syscalls))
                  #~(begin
                      (use-modules (guix build utils)
                                   (gnu build hurd-boot)
                                   (guix build syscalls)
                                   (ice-9 match)
                                   (system repl repl)
                                   (srfi srfi-1)
                                   (srfi srfi-26))
                      (boot-hurd-system)))))

(define (hurd-rc-entry rc)
  `(("rc" ,rc)))

(define hurd-startup-service-type
  (service-type (name 'startup)
                (extensions
                 (list (service-extension system-service-type hurd-rc-entry)))
                (default-value %hurd-rc-script)
                (description "This service creates an @file{rc} script in the
system; that script is responsible for booting the Hurd.")))

(define %hurd-startup-service
  (service hurd-startup-service-type %hurd-rc-script))


;;;
;;; Special files, /etc, privileged programs, profile, firmware, GC roots.
;;;

(define special-files-service-type
  ;; Values are lists of (FILE TARGET), such as ("/bin/sh" FILE-LIKE).
  (service-type
   (name 'special-files)
   (extensions
    (list (service-extension activation-service-type
                             (lambda (files)
                               #~(activate-special-files '#$files)))))
   (compose concatenate)
   (extend append)
   (description
    "Add special files to the root file system---e.g.,
@file{/usr/bin/env}.")))

(define (extra-special-file file target)
  "Use TARGET as the \"special file\" FILE; for instance TARGET might be
(file-append coreutils \"/bin/env\") and FILE \"/usr/bin/env\"."
  (simple-service (string->symbol (string-append "special-file-" file))
                  special-files-service-type
                  `((,file ,target))))

(define (files->etc-directory files)
  ;; Two entries for the same file would only fail when building "etc";
  ;; report them now, as Guix does.
  (let loop ((rest files) (seen '()))
    (unless (null? rest)
      (let ((name (car (car rest))))
        (when (member name seen)
          (raise (make-service-error
                  'error #f
                  (format #f "duplicate '~a' entry for /etc" name) '())))
        (loop (cdr rest) (cons name seen)))))
  (file-union "etc" files))

(define (etc-directory service)
  "Return the directory for SERVICE, a service of type ETC-SERVICE-TYPE."
  (files->etc-directory (service-value service)))

(define (etc-entry files)
  `(("etc" ,(files->etc-directory files))))

(define etc-service-type
  ;; Values are lists of (FILE-NAME FILE-LIKE) relative to /etc.
  (service-type (name 'etc)
                (extensions
                 (list
                  (service-extension activation-service-type
                                     (lambda (files)
                                       #~(activate-etc
                                          #$(files->etc-directory files))))
                  (service-extension system-service-type etc-entry)))
                (compose concatenate)
                (extend append)
                (default-value '())
                (description "Populate the @file{/etc} directory.")))

(define (etc-service files)
  "Deprecated: return a service of ETC-SERVICE-TYPE populating /etc with
FILES."
  (service etc-service-type files))

(define (make-files->etc-directory name)
  "Return a procedure mapping a list of packages and '.sh' file-likes to an
/etc entry NAME holding their NAME scripts."
  (lambda (files)
    `((,name
       ,(computed-file
         name
         (with-imported-modules '((guix build utils))
           #~(begin
               (use-modules (guix build utils) (ice-9 ftw) (srfi srfi-1))
               (define (scripts item)
                 ;; The .sh files of ITEM/etc/NAME, or ITEM itself.
                 (let ((dir (string-append item "/etc/" #$name)))
                   (cond ((file-exists? dir)
                          (map (lambda (f) (list f (string-append dir "/" f)))
                               (scandir dir (lambda (f)
                                              (string-suffix? ".sh" f)))))
                         ((string-suffix? ".sh" item)
                          (list (list (basename (strip-store-file-name item))
                                      item)))
                         (else '()))))
               (mkdir #$output)
               (chdir #$output)
               (for-each (lambda (entry)
                           (symlink (cadr entry) (car entry)))
                         (append-map scripts (list #$@files))))))))))

(define etc-profile-d-service-type
  (service-type
   (name 'etc-profile-d)
   (extensions (list (service-extension etc-service-type
                                        (make-files->etc-directory
                                         "profile.d"))))
   (compose concatenate)
   (extend append)
   (default-value '())
   (description "A service for populating @file{/etc/profile.d/} with POSIX
scripts having the @file{.sh} file extension, to be sourced when users
log in.")))

(define etc-bashrc-d-service-type
  (service-type
   (inherit etc-profile-d-service-type)
   (name 'etc-bashrc-d)
   (extensions (list (service-extension etc-service-type
                                        (make-files->etc-directory
                                         "bashrc.d"))))
   (description "A service for populating @file{/etc/bashrc.d/} with Bash
scripts having the @file{.sh} file extension, to be sourced by interactive
Bash shells.")))

(define (privileged-program->activation-gexp programs)
  "The activation gexp installing PROGRAMS, <privileged-program> records."
  (define (field name)
    (module-variable '(gnu system privilege) name))
  (let ((program      (field 'privileged-program-program))
        (setuid?      (field 'privileged-program-setuid?))
        (setgid?      (field 'privileged-program-setgid?))
        (user         (field 'privileged-program-user))
        (group        (field 'privileged-program-group))
        (capabilities (field 'privileged-program-capabilities)))
    (with-imported-modules '((gnu system privilege))
      #~(begin
          (use-modules (gnu system privilege))
          (activate-privileged-programs
           (list #$@(map (lambda (p)
                           #~(privileged-program
                              (setuid? #$(setuid? p))
                              (setgid? #$(setgid? p))
                              (user #$(user p))
                              (group #$(group p))
                              (capabilities #$(capabilities p))
                              (program #$(program p))))
                         programs)))))))

(define privileged-program-service-type
  ;; Values are lists of <privileged-program> records.
  (service-type (name 'privileged-program)
                (extensions
                 (list (service-extension activation-service-type
                                          privileged-program->activation-gexp)))
                (compose concatenate)
                (extend append)
                (description
                 "Copy the specified executables to @file{/run/privileged/bin}
and apply special privileges like setuid and/or setgid.

The deprecated @file{/run/setuid-programs} directory is also populated with
symbolic links to their @file{/run/privileged/bin} counterpart.  It will be
removed in a future Guix release.")))

(define setuid-program-service-type
  ;; Deprecated alias, as in Guix 1.5.
  privileged-program-service-type)

(define (system-profile packages)
  "The profile holding PACKAGES, built with (guix profiles)' own 'profile'
and 'packages->manifest' (a macro, hence 'eval' in that module)."
  (eval `(profile (content (packages->manifest ',packages)))
        (resolve-module '(guix profiles))))

(define (packages->profile-entry packages)
  "The system profile entry for PACKAGES (duplicates removed)."
  `(("profile" ,(system-profile (delete-duplicates packages eq?)))))

(define profile-service-type
  ;; Extended by lists of packages, which make up the system profile,
  ;; /run/current-system/profile.
  (service-type (name 'profile)
                (extensions
                 (list (service-extension system-service-type
                                          packages->profile-entry)))
                (compose concatenate)
                (extend append)
                (default-value '())
                (description
                 "This is the @dfn{system profile}, available as
@file{/run/current-system/profile}.  It contains packages that the sysadmin
wants to be globally available to all the system users.")))

(define (firmware->activation-gexp firmware)
  (let ((directory (directory-union "firmware" firmware)))
    #~(activate-firmware (string-append #$directory "/lib/firmware"))))

(define firmware-service-type
  (service-type (name 'firmware)
                (extensions
                 (list (service-extension activation-service-type
                                          firmware->activation-gexp)))
                (compose concatenate)
                (extend append)
                (description
                 "Make ``firmware'' files loadable by the operating system
kernel.  Firmware may then be uploaded to some of the machine's devices, such
as Wifi cards.")))

(define (gc-roots->system-entry roots)
  (if (null? roots)
      '()
      `(("gc-roots"
         ,(computed-file "gc-roots"
                         #~(let ((roots '#$roots))
                             (mkdir #$output)
                             (chdir #$output)
                             (for-each symlink roots
                                       (map number->string
                                            (iota (length roots))))))))))

(define gc-root-service-type
  ;; Extra garbage-collector roots: lowerable objects the system keeps alive.
  (service-type (name 'gc-roots)
                (extensions
                 (list (service-extension system-service-type
                                          gc-roots->system-entry)))
                (compose concatenate)
                (extend append)
                (description
                 "Register garbage-collector roots---i.e., store items that
will not be reclaimed by the garbage collector.")
                (default-value '())))


;;;
;;; The Linux kernel profile.
;;;

(define-record-type* <linux-builder-configuration>
  linux-builder-configuration make-linux-builder-configuration
  linux-builder-configuration?
  this-linux-builder-configuration
  (kernel  linux-builder-configuration-kernel)              ;package
  (modules linux-builder-configuration-modules (default '()))) ;list of packages

(define (linux-builder-configuration->system-entry config)
  `(("kernel"
     ,(system-profile (cons (linux-builder-configuration-kernel config)
                            (linux-builder-configuration-modules config))))))

(define linux-builder-service-type
  (service-type (name 'linux-builder)
                (extensions
                 (list (service-extension
                        system-service-type
                        linux-builder-configuration->system-entry)))
                (default-value '())
                (compose identity)
                (extend (lambda (config modifiers)
                          (if (null? modifiers)
                              config
                              ((apply compose modifiers) config))))
                (description "Builds the linux-libre kernel profile, containing
the kernel itself and any linux-loadable kernel modules.  This can be extended
with a function that accepts the current configuration and returns a new
configuration.")))

(define (linux-loadable-module-builder-modifier modules)
  (lambda (config)
    (linux-builder-configuration
     (inherit config)
     (modules (append (linux-builder-configuration-modules config)
                      modules)))))

(define linux-loadable-module-service-type
  (service-type (name 'linux-loadable-modules)
                (extensions
                 (list (service-extension
                        linux-builder-service-type
                        linux-loadable-module-builder-modifier)))
                (default-value '())
                (compose concatenate)
                (extend append)
                (description "Adds packages and package outputs as modules
included in the booted linux-libre profile.  Other services can extend this
service type to add particular modules to the set of linux-loadable modules.")))


;;;
;;; Service folding.
;;;

;; The service whose extension is being computed by 'fold-services', or #f.
;; Records made while computing (shepherd services, say) can record it, so
;; that errors found later point at the service the user wrote.
(define %extending-service
  (make-parameter #f))

(define (%preferred-location locations)
  "The location to report an error about several services at: among
LOCATIONS (locations or #f), those in the user's code if any, and of these the
last one written in the file of the first (the duplicate, usually); #f if
none is known."
  (let* ((known (filter identity locations))
         (user (remove %stdlib-location? known))
         (pool (if (null? user) known user)))
    (and (pair? pool)
         (let ((file (location-file (car pool))))
           (fold (lambda (l best)
                   (if (and (equal? (location-file l) file)
                            (or (> (location-line l) (location-line best))
                                (and (= (location-line l) (location-line best))
                                     (> (location-column l)
                                        (location-column best)))))
                       l
                       best))
                 (car pool)
                 (cdr pool))))))

(define (preferred-location services)
  (%preferred-location (map (lambda (s) (and s (service-location s))) services)))

(define* (missing-target-error service target-type
                               #:optional (location (service-location service)))
  (raise (make-service-error
          'missing-target location
          (format #f "no target of type '~a' for service '~a'"
                  (service-type-name target-type)
                  (service-type-name (service-kind service)))
          `((service . ,service) (target-type . ,target-type)))))

(define (ambiguous-target-error service target-type targets)
  (raise (make-service-error
          'ambiguous-target (preferred-location (append targets (list service)))
          (format #f "more than one target service of type '~a'"
                  (service-type-name target-type))
          `((service . ,service) (target-type . ,target-type)))))

(define (service-back-edges services)
  "Return a procedure that, when passed a <service>, returns the list of
<service> objects that depend on it (that extend it)."
  (define by-type (make-hash-table))
  (define edges (make-hash-table))
  (for-each (lambda (s)
              (hashq-set! by-type (service-kind s)
                          (cons s (hashq-ref by-type (service-kind s) '()))))
            services)
  ;; Dependents are consed in SERVICES order, so each list ends up last
  ;; service first, the order in which Guix hands out extensions.
  (for-each
   (lambda (s)
     (for-each
      (lambda (extension)
        (let* ((target-type (service-extension-target extension))
               (targets (reverse (hashq-ref by-type target-type '()))))
          (cond ((null? targets)
                 (missing-target-error s target-type))
                ((pair? (cdr targets))
                 (ambiguous-target-error s target-type targets))
                (else
                 (hashq-set! edges (car targets)
                             (cons s (hashq-ref edges (car targets) '())))))))
      (service-type-extensions (service-kind s))))
   services)
  (lambda (node)
    (hashq-ref edges node '())))

(define (instantiate-missing-services services)
  "Return SERVICES, a list, augmented with any services targeted by extensions
and missing from SERVICES.  Only service types with a default value can be
instantiated; other missing services lead to a
'&missing-target-service-error'."
  ;; Services made here were written by nobody: they have no location.  For
  ;; errors, CAUSE maps each to the service that needed it, so that an error
  ;; can point at the first service up that chain that has a location.
  (define cause (make-hash-table))

  (define (location-of service)
    (let loop ((s service))
      (cond ((not s) #f)
            ((service-location s) => identity)
            (else (loop (hashq-ref cause s #f))))))

  (let loop ((services services))
    (let ((present (make-hash-table))
          (added '()))
      (for-each (lambda (s) (hashq-set! present (service-kind s) #t))
                services)
      (for-each
       (lambda (s)
         (for-each
          (lambda (extension)
            (let ((target-type (service-extension-target extension)))
              (unless (hashq-ref present target-type)
                (let ((default (service-type-default-value target-type)))
                  (when (eq? default &no-default-value)
                    (missing-target-error s target-type (location-of s)))
                  (let ((new (%make-service target-type default #f)))
                    (hashq-set! present target-type #t)
                    (hashq-set! cause new s)
                    (set! added (cons new added)))))))
          (service-type-extensions (service-kind s))))
       services)
      ;; New services may extend yet other missing ones: go on until
      ;; nothing is added.
      (if (null? added)
          services
          (loop (append added services))))))

(define (extension-value target service)
  "Compute the extension of TARGET (a service) by SERVICE."
  (let* ((kind (service-kind target))
         (extension (find (lambda (e) (eq? (service-extension-target e) kind))
                          (service-type-extensions (service-kind service)))))
    (parameterize ((%extending-service service))
      ((service-extension-compute extension) (service-value service)))))

(define* (fold-services services
                        #:key (target-type system-service-type))
  "Fold SERVICES by propagating their extensions down to the root of type
TARGET-TYPE; return the root service adjusted accordingly."
  (define dependents
    (service-back-edges services))

  ;; Each service is folded once; its folded version is memoized.
  (define folded (make-hash-table))

  (define (fold-one sink)
    (or (hashq-ref folded sink)
        (let* ((deps       (map fold-one (dependents sink)))
               (kind       (service-kind sink))
               (extend     (service-type-extend kind))
               (result
                ;; COMPOSE and EXTEND are distinct because the service's own
                ;; value usually differs in type from its extensions.
                (if extend
                    (%make-service kind
                                   (extend (service-value sink)
                                           ((service-type-compose kind)
                                            (map (lambda (dep)
                                                   (extension-value sink dep))
                                                 deps)))
                                   (service-location sink))
                    sink)))
          (hashq-set! folded sink result)
          result)))

  (let ((sinks (filter (lambda (s) (eq? (service-kind s) target-type))
                       services)))
    (cond ((null? sinks)
           (raise (make-service-error
                   'missing-target #f
                   (format #f "service of type '~a' not found"
                           (service-type-name target-type))
                   `((service . #f) (target-type . ,target-type)))))
          ((pair? (cdr sinks))
           (raise (make-service-error
                   'ambiguous-target (preferred-location sinks)
                   (format #f "more than one target service of type '~a'"
                           (service-type-name target-type))
                   `((service . #f) (target-type . ,target-type)))))
          (else
           (fold-one (car sinks))))))

;;; services.scm ends here
