;;; schemos --- evaluate GNU Guix system descriptions
;;;
;;; (guix profiles): manifests and profiles, and their lowering.
;;;
;;; A manifest lists entries (name, version, output, item, propagated
;;; dependencies, search paths); a <profile> is the file-like object whose
;;; derivation, "profile", runs 'build-profile' of (guix build profiles) on
;;; the manifest, as in Guix.  Guix also runs "profile hooks" (info dir,
;;; man database, CA certificates, fonts...) whose results are extra inputs
;;; of the profile; schemos runs none, so a profile derivation has the
;;; packages and the manifest but no hook derivations (see docs/store.md).

(define-module (guix profiles)
  #:use-module (guix records)
  #:use-module (guix packages)
  #:use-module (guix gexp)
  #:use-module (guix store)
  #:use-module (guix monads)
  #:use-module (guix utils)
  #:use-module (srfi srfi-1)
  #:export (manifest
            manifest?
            manifest-entries
            make-manifest
            manifest-entry
            manifest-entry?
            manifest-entry-name
            manifest-entry-version
            manifest-entry-output
            manifest-entry-item
            manifest-entry-dependencies
            manifest-entry-search-paths
            manifest-entry-properties
            package->manifest-entry
            packages->manifest
            manifest->gexp
            concatenate-manifests

            profile
            profile?
            profile-content
            profile-name
            profile-hooks
            profile-locales?
            profile-derivation
            %default-profile-hooks))

(define-record-type <manifest>
  (manifest entries)
  manifest?
  (entries manifest-entries))                     ;list of <manifest-entry>

(define (make-manifest entries)
  "Return a manifest of ENTRIES."
  (manifest entries))

(define-record-type* <manifest-entry> manifest-entry
  make-manifest-entry
  manifest-entry?
  (name         manifest-entry-name)              ;string
  (version      manifest-entry-version)           ;string
  (output       manifest-entry-output             ;string
                (default "out"))
  (item         manifest-entry-item)              ;package | file-like | store path
  (dependencies manifest-entry-dependencies       ;<manifest-entry>*
                (default '()))
  (search-paths manifest-entry-search-paths       ;search-path-specification*
                (default '()))
  (parent       manifest-entry-parent             ;promise of an entry or #f
                (default (delay #f)))
  (properties   manifest-entry-properties         ;alist
                (default '())))

(define* (package->manifest-entry package #:optional (output "out")
                                  #:key (parent (delay #f)) (properties '()))
  "Return a manifest entry for the OUTPUT of PACKAGE, with its propagated
inputs as dependencies."
  (letrec ((self (manifest-entry
                   (name (package-name package))
                   (version (package-version package))
                   (output output)
                   (item package)
                   (dependencies
                    (filter-map (lambda (input)
                                  (let ((thing (cadr input))
                                        (out (if (pair? (cddr input))
                                                 (caddr input)
                                                 "out")))
                                    (and (package? thing)
                                         (package->manifest-entry
                                          thing out
                                          #:parent (delay self)))))
                                (package-propagated-inputs package)))
                   (search-paths (package-transitive-native-search-paths package))
                   (parent parent)
                   (properties properties))))
    self))

(define (packages->manifest packages)
  "Return a manifest of PACKAGES: packages, or (PACKAGE OUTPUT) lists."
  (manifest
   (map (lambda (p)
          (if (pair? p)
              (package->manifest-entry (car p) (cadr p))
              (package->manifest-entry p)))
        packages)))

(define (concatenate-manifests lst)
  "Concatenate the manifests of LST."
  (manifest (append-map manifest-entries lst)))

(define (search-path->sexp spec)
  ;; A search path specification as the build side reads it (schemos
  ;; packages may give them as data already).
  (if (and (record? spec) (not (gexp? spec)))
      (let ((rtd (record-type-descriptor spec)))
        (map (lambda (field) ((record-accessor rtd field) spec))
             (record-type-fields rtd)))
      spec))

(define* (manifest->gexp manifest #:optional (format-version 4))
  "Return a gexp that evaluates to the sexp representation of MANIFEST."
  (define (entry->gexp entry)
    (let ((name    (manifest-entry-name entry))
          (version (manifest-entry-version entry))
          (output  (manifest-entry-output entry))
          (item    (manifest-entry-item entry))
          (deps    (manifest-entry-dependencies entry))
          (paths   (manifest-entry-search-paths entry))
          (props   (manifest-entry-properties entry)))
      #~(#$name #$version #$output
                #$(if (file-like? item) (gexp-input item output) item)
                (propagated-inputs #$(map entry->gexp deps))
                (search-paths #$(map search-path->sexp paths))
                #$@(if (null? props)
                       '()
                       #~((properties . #$props))))))

  #~(manifest (version #$format-version)
              (packages #$(map entry->gexp (manifest-entries manifest)))))

(define %default-profile-hooks
  ;; schemos runs no profile hooks (see the commentary).
  '())

(define* (profile-derivation manifest
                             #:key
                             (name "profile")
                             (hooks %default-profile-hooks)
                             (locales? #t)
                             (allow-collisions? #f)
                             (relative-symlinks? #f)
                             (format-version 4)
                             system target)
  "Return as a monadic value the derivation of the profile of MANIFEST."
  (define inputs
    ;; The items of the entries and of their dependencies.
    (let loop ((entries (manifest-entries manifest)) (result '()))
      (if (null? entries)
          (reverse result)
          (let* ((entry (car entries))
                 (item (manifest-entry-item entry))
                 (input (if (file-like? item)
                            (gexp-input item (manifest-entry-output entry))
                            item)))
            (loop (append (manifest-entry-dependencies entry) (cdr entries))
                  (cons input result))))))

  (define builder
    (with-imported-modules '((guix build profiles)
                             (guix build union)
                             (guix build utils)
                             (guix search-paths)
                             (guix records))
      #~(begin
          (use-modules (guix build profiles)
                       (guix search-paths)
                       (srfi srfi-1))

          (setvbuf (current-output-port) 'line)
          (setvbuf (current-error-port) 'line)

          (build-profile #$output '#$(manifest->gexp manifest format-version)
                         #:extra-inputs '#$inputs
                         #:symlink #$(if relative-symlinks?
                                         #~symlink-relative
                                         #~symlink)))))

  (gexp->derivation name builder
                    #:system system
                    #:target target
                    ;; Don't complain about _IO* on Guile 2.2.
                    #:env-vars '(("GUILE_WARN_DEPRECATED" . "no"))
                    ;; Not worth offloading.
                    #:local-build? #t
                    ;; Disable substitution.
                    #:substitutable? #f
                    #:properties `((type . profile)
                                   (profile
                                    (count
                                     . ,(length (manifest-entries manifest)))))))

;; A profile: the file-like object for a manifest, lowered with
;; 'profile-derivation'.
(define-record-type* <profile> profile make-profile
  profile?
  (name               profile-name (default "profile")) ;string
  (content            profile-content)                  ;<manifest>
  (hooks              profile-hooks                     ;list of procedures
                      (default %default-profile-hooks))
  (locales?           profile-locales?                  ;Boolean
                      (default #t))
  (allow-collisions?  profile-allow-collisions?         ;Boolean
                      (default #f))
  (relative-symlinks? profile-relative-symlinks?        ;Boolean
                      (default #f))
  (format-version     profile-format-version            ;integer
                      (default 4)))

(define-gexp-compiler (profile-compiler (profile <profile>) system target)
  (profile-derivation (profile-content profile)
                      #:name (profile-name profile)
                      #:hooks (profile-hooks profile)
                      #:locales? (profile-locales? profile)
                      #:allow-collisions? (profile-allow-collisions? profile)
                      #:relative-symlinks? (profile-relative-symlinks? profile)
                      #:format-version (profile-format-version profile)
                      #:system system #:target target))
